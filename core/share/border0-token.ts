import { homedir } from "node:os";
import { join } from "node:path";
import { LabError } from "../errors.ts";
import { expiryOf, jwtClaims, stringClaim } from "./jwt.ts";
import { lookupToken, type TokenPlaces, type TopologyPlace } from "./token-lookup.ts";

// The Border0 token: BORDER0_ADMIN_TOKEN, then .border0_token beside the topology (the user's own,
// private), then ~/.border0/token (where Border0's own CLI and lab login border0 keep it).

export interface Border0Token {
  token: string;
  /** The SSH user at the edge: user_id (or a connector's connector_id) without dashes. */
  sshUser: string;
  expiresAt?: number;
  source: string;
  /** Who the token acts for, as its claims say: the user's email, else its user or connector id. */
  account: string;
  /** The organisation it belongs to (org_subdomain, else org_id), when the token says. */
  org?: string;
  /**
   * The file it came from. Border0's CLI treats a token file as a user token, refreshed hourly while
   * connected, and BORDER0_ADMIN_TOKEN as an access token, never refreshed.
   */
  file?: string;
}

export const border0TokenFile = (env: (name: string) => string | undefined) =>
  join(env("HOME") ?? homedir(), ".border0", "token");

const HINT = "Run lab login border0, or set BORDER0_ADMIN_TOKEN to an access token from the Border0 portal";

/** Where a Border0 token may come from (core/share/token-lookup.ts). */
export const border0TokenPlaces = (env: (name: string) => string | undefined): TokenPlaces => ({
  service: "Border0",
  env: ["BORDER0_ADMIN_TOKEN"],
  beside: ".border0_token",
  userFile: border0TokenFile(env),
});

export function decodeBorder0Token(text: string, source: string, now = Date.now(), file?: string): Border0Token {
  const token = text.trim();
  const claims = jwtClaims(token);
  if (!claims) throw new LabError("auth", `the Border0 token from ${source} is not a token (a JWT)`, { hint: HINT });
  const id = stringClaim(claims, "user_id") ?? stringClaim(claims, "connector_id");
  if (!id)
    throw new LabError("auth", `the Border0 token from ${source} names no user (no user_id claim)`, { hint: HINT });
  const expiresAt = expiryOf(claims);
  if (expiresAt !== undefined && expiresAt <= now)
    throw new LabError("auth", `the Border0 token from ${source} expired at ${new Date(expiresAt).toISOString()}`, {
      hint: HINT,
    });
  return {
    token,
    sshUser: id.replaceAll("-", ""),
    expiresAt,
    source,
    account: stringClaim(claims, "user_email") ?? stringClaim(claims, "email") ?? id,
    org: stringClaim(claims, "org_subdomain") ?? stringClaim(claims, "org_id"),
    ...(file ? { file } : {}),
  };
}

/** The token: BORDER0_ADMIN_TOKEN, a private .border0_token of the user's beside the topology, ~/.border0/token. */
export async function findBorder0Token(
  env: (name: string) => string | undefined,
  topology?: TopologyPlace,
  warn: (message: string) => void = () => {},
): Promise<Border0Token> {
  const raw = await lookupToken(border0TokenPlaces(env), env, topology, warn);
  if (!raw) throw new LabError("auth", "no Border0 token", { hint: HINT });
  return decodeBorder0Token(raw.text, raw.source, Date.now(), raw.file);
}
