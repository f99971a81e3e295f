import { chmod, mkdir, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { LabError } from "../errors.ts";
import { expiryOf, jwtClaims, stringClaim } from "./jwt.ts";
import { lookupToken, type TokenPlaces, type TopologyPlace } from "./token-lookup.ts";

export interface MysocketToken {
  token: string;
  userId: string;
  /** The SSH user at the edge: the user id without dashes. */
  sshUser: string;
  /** Expiry, ms since the epoch, when the token says. */
  expiresAt?: number;
  /** Where it came from, for messages. */
  source: string;
  /** The file to rewrite on refresh, when it came from one. */
  file?: string;
}

export function tokenFile(env: (name: string) => string | undefined): string {
  return join(env("XDG_CONFIG_HOME") ?? join(env("HOME") ?? homedir(), ".config"), "lab", "mysocket-token");
}

/** Where a mysocket token may come from (core/share/token-lookup.ts). */
export const mysocketTokenPlaces = (env: (name: string) => string | undefined): TokenPlaces => ({
  service: "mysocket",
  env: ["MYSOCKET_TOKEN"],
  beside: ".mysocketio_token",
  userFile: tokenFile(env),
});

/** A mysocket token's user and expiry, read from its claims (as every mysocket client did). */
export function decodeToken(token: string, source: string, file?: string): MysocketToken {
  const claims = jwtClaims(token);
  if (!claims)
    throw new LabError("auth", `the mysocket token from ${source} is not a valid token`, {
      hint: "Run lab login mysocket --email YOU",
    });
  const userId = stringClaim(claims, "user_id");
  if (!userId)
    throw new LabError("auth", `the mysocket token from ${source} has no user_id`, {
      hint: "Run lab login mysocket --email YOU",
    });
  return {
    token: token.trim(),
    userId,
    sshUser: userId.replaceAll("-", ""),
    expiresAt: expiryOf(claims),
    source,
    file,
  };
}

/**
 * The token to use: MYSOCKET_TOKEN, then `.mysocketio_token` next to the topology (the seed's
 * workflow, when it is the user's own and private), then the one `lab login mysocket` stored. An
 * expired token is an error before anything is created.
 */
export async function findToken(
  env: (name: string) => string | undefined,
  topology: TopologyPlace | undefined,
  warn: (message: string) => void = () => {},
  now = Date.now(),
): Promise<MysocketToken> {
  const raw = await lookupToken(mysocketTokenPlaces(env), env, topology, warn);
  if (!raw)
    throw new LabError("auth", "no mysocket token", {
      hint: "Run lab login mysocket --email YOU, or set MYSOCKET_TOKEN, or put .mysocketio_token (mode 600) next to the topology",
    });
  const found = decodeToken(raw.text, raw.source, raw.file);
  if (found.expiresAt !== undefined && found.expiresAt <= now) {
    throw new LabError(
      "auth",
      `the mysocket token from ${found.source} expired at ${new Date(found.expiresAt).toISOString()}`,
      {
        hint: "Run lab login mysocket --email YOU (tokens last 5 hours)",
      },
    );
  }
  return found;
}

/**
 * When a token is next refreshed: halfway to its expiry, at least `minMs` from now and at most an
 * hour (Border0's CLI refreshes hourly); hourly when it says no expiry.
 */
export function refreshDelay(expiresAt: number | undefined, minMs: number, now = Date.now()): number {
  if (expiresAt === undefined) return 3_600_000;
  return Math.max(minMs, Math.min(3_600_000, (expiresAt - now) / 2));
}

export async function saveToken(file: string, token: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
}
