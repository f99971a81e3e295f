import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { LabError } from "../errors.ts";

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

/** Reads the claims of a JWT without verifying it (as every mysocket client did). */
export function decodeToken(token: string, source: string, file?: string): MysocketToken {
  const part = token.trim().split(".")[1];
  let claims: { user_id?: string; exp?: number } = {};
  try {
    claims = JSON.parse(
      new TextDecoder().decode(
        Uint8Array.from(atob(part?.replace(/-/g, "+").replace(/_/g, "/") ?? ""), (c) => c.charCodeAt(0)),
      ),
    );
  } catch {
    throw new LabError("auth", `the mysocket token from ${source} is not a valid token`, {
      hint: "Run lab login mysocket --email YOU",
    });
  }
  if (!claims.user_id)
    throw new LabError("auth", `the mysocket token from ${source} has no user_id`, {
      hint: "Run lab login mysocket --email YOU",
    });
  return {
    token: token.trim(),
    userId: claims.user_id,
    sshUser: claims.user_id.replaceAll("-", ""),
    expiresAt: typeof claims.exp === "number" ? claims.exp * 1000 : undefined,
    source,
    file,
  };
}

/**
 * The token to use: MYSOCKET_TOKEN, then `.mysocketio_token` next to the topology (the seed's
 * workflow), then the one `lab login mysocket` stored. An expired token is an error before anything
 * is created.
 */
export async function findToken(
  env: (name: string) => string | undefined,
  topologyDir: string | undefined,
  now = Date.now(),
): Promise<MysocketToken> {
  let found: MysocketToken | undefined;
  const fromEnv = env("MYSOCKET_TOKEN");
  if (fromEnv) found = decodeToken(fromEnv, "MYSOCKET_TOKEN");
  const candidates = [topologyDir ? join(topologyDir, ".mysocketio_token") : undefined, tokenFile(env)].filter(
    (f): f is string => !!f,
  );
  for (const file of candidates) {
    if (found) break;
    if (!existsSync(file)) continue;
    const text = (await readFile(file, "utf8")).split("\n").find((l) => l.trim());
    if (text) found = decodeToken(text, file, file);
  }
  if (!found) {
    throw new LabError("auth", "no mysocket token", {
      hint: "Run lab login mysocket --email YOU, or set MYSOCKET_TOKEN, or put .mysocketio_token next to the topology",
    });
  }
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

export async function saveToken(file: string, token: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
}
