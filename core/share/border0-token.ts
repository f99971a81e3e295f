import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { LabError } from "../errors.ts";

// The Border0 token: BORDER0_ADMIN_TOKEN, then .border0_token beside the topology, then
// ~/.border0/token (where Border0's own CLI and lab login border0 keep it), as Containerlab looked.

export interface Border0Token {
  token: string;
  /** The SSH user at the edge: user_id (or a connector's connector_id) without dashes. */
  sshUser: string;
  expiresAt?: number;
  source: string;
}

export const border0TokenFile = (env: (name: string) => string | undefined) =>
  join(env("HOME") ?? homedir(), ".border0", "token");

const HINT = "Run lab login border0, or set BORDER0_ADMIN_TOKEN to an access token from the Border0 portal";

export function decodeBorder0Token(text: string, source: string, now = Date.now()): Border0Token {
  const token = text.trim();
  let claims: { user_id?: string; connector_id?: string; exp?: number } = {};
  try {
    const part = token.split(".")[1] ?? "";
    claims = JSON.parse(Buffer.from(part.replace(/-/g, "+").replace(/_/g, "/"), "base64").toString("utf8"));
  } catch {
    throw new LabError("auth", `the Border0 token from ${source} is not a token (a JWT)`, { hint: HINT });
  }
  const id = claims.user_id ?? claims.connector_id;
  if (!id)
    throw new LabError("auth", `the Border0 token from ${source} names no user (no user_id claim)`, { hint: HINT });
  const expiresAt = typeof claims.exp === "number" ? claims.exp * 1000 : undefined;
  if (expiresAt !== undefined && expiresAt <= now)
    throw new LabError("auth", `the Border0 token from ${source} expired at ${new Date(expiresAt).toISOString()}`, {
      hint: HINT,
    });
  return { token, sshUser: id.replaceAll("-", ""), expiresAt, source };
}

/** Where a token is, without reading it: for picking the provider. */
export function border0TokenSources(env: (name: string) => string | undefined, topologyDir?: string): string[] {
  return [
    ...(env("BORDER0_ADMIN_TOKEN") ? ["BORDER0_ADMIN_TOKEN"] : []),
    ...[topologyDir ? join(topologyDir, ".border0_token") : undefined, border0TokenFile(env)].filter(
      (f): f is string => !!f && existsSync(f),
    ),
  ];
}

export async function findBorder0Token(
  env: (name: string) => string | undefined,
  topologyDir?: string,
): Promise<Border0Token> {
  const fromEnv = env("BORDER0_ADMIN_TOKEN");
  if (fromEnv) return decodeBorder0Token(fromEnv, "BORDER0_ADMIN_TOKEN");
  for (const file of [topologyDir ? join(topologyDir, ".border0_token") : undefined, border0TokenFile(env)]) {
    if (!file || !existsSync(file)) continue;
    const line = (await readFile(file, "utf8")).split("\n").find((l) => l.trim());
    if (line) return decodeBorder0Token(line, file);
  }
  throw new LabError("auth", "no Border0 token", { hint: HINT });
}
