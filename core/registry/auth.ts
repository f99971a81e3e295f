import { LabError } from "../errors.ts";
import type { Credentials } from "./credentials.ts";

export interface Challenge {
  scheme: "basic" | "bearer";
  params: Record<string, string>;
}

/** Parses `WWW-Authenticate: Bearer realm="…",service="…",scope="…"` (quoted values may hold commas). */
export function parseChallenge(header: string | null): Challenge | undefined {
  if (!header) return undefined;
  const m = /^\s*(\w+)\s*(.*)$/.exec(header);
  if (!m) return undefined;
  const scheme = (m[1] as string).toLowerCase();
  if (scheme !== "basic" && scheme !== "bearer") return undefined;
  const params: Record<string, string> = {};
  const re = /(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  for (const p of (m[2] as string).matchAll(re))
    params[(p[1] as string).toLowerCase()] = (p[2] ?? p[3] ?? "").replace(/\\(.)/g, "$1");
  return { scheme, params };
}

export function basicHeader(creds: Credentials): string {
  const bytes = new TextEncoder().encode(`${creds.username}:${creds.password}`);
  return `Basic ${btoa(String.fromCharCode(...bytes))}`;
}

interface CachedToken {
  token: string;
  expiresAt: number;
}

/** Bearer tokens per scope set, refreshed a little before they expire. */
export class TokenCache {
  private tokens = new Map<string, CachedToken>();

  constructor(
    private readonly fetchFn: typeof fetch,
    private readonly credentials: Credentials | undefined,
    private readonly registry: string,
  ) {}

  /** A token for `scopes` (cached per scope set); `fresh` asks the token service again. */
  async token(challenge: Challenge, scopes: string[], now = Date.now(), fresh = false): Promise<string> {
    const all = [...new Set([...scopes, ...(challenge.params.scope ? challenge.params.scope.split(" ") : [])])].sort();
    const key = `${challenge.params.realm} ${challenge.params.service} ${all.join(" ")}`;
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt > now && !fresh) return cached.token;
    const realm = challenge.params.realm;
    if (!realm) throw new LabError("remote", `${this.registry} sent a Bearer challenge without a realm`);
    const url = new URL(realm);
    if (challenge.params.service) url.searchParams.set("service", challenge.params.service);
    for (const s of all) url.searchParams.append("scope", s);
    if (this.credentials?.username) url.searchParams.set("account", this.credentials.username);
    const headers: Record<string, string> = {};
    if (this.credentials?.username || this.credentials?.password) headers.authorization = basicHeader(this.credentials);
    // An identity token (docker login to a registry that hands one out) is an OAuth2 refresh token:
    // exchanged at the realm with a POST, as docker's distribution client does.
    const identity = this.credentials?.identityToken;
    const init: RequestInit = identity
      ? {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({
            grant_type: "refresh_token",
            refresh_token: identity,
            service: challenge.params.service ?? "",
            client_id: "lab",
            scope: all.join(" "),
          }).toString(),
        }
      : { headers };
    let response: Response;
    try {
      // Otherwise GET, not the OAuth2 POST: Harbor's /service/token answers POST with 405.
      response = await this.fetchFn(identity ? new URL(realm) : url, init);
    } catch (error) {
      throw new LabError(
        "remote",
        `cannot reach the token service ${url.origin}${url.pathname}: ${(error as Error).message}`,
      );
    }
    if (response.status === 401 || response.status === 403) {
      throw new LabError(
        "auth",
        `${this.registry} rejected the credentials${this.credentials?.username ? ` for ${this.credentials.username}` : " (none were given)"}`,
        { hint: `Check --creds, or run lab images login ${this.registry}` },
      );
    }
    if (!response.ok)
      throw new LabError("remote", `token service ${url.origin}${url.pathname} answered HTTP ${response.status}`);
    const body = (await response.json()) as {
      token?: string;
      access_token?: string;
      expires_in?: number;
      issued_at?: string;
    };
    const token = body.token ?? body.access_token;
    if (!token) throw new LabError("remote", `token service ${url.origin}${url.pathname} returned no token`);
    // The spec's minimum lifetime is 60 s; refresh 10 s early.
    const lifetime = Math.max(60, body.expires_in ?? 60);
    const issued = body.issued_at ? Date.parse(body.issued_at) : now;
    this.tokens.set(key, {
      token,
      expiresAt: (Number.isNaN(issued) ? now : Math.min(issued, now)) + (lifetime - 10) * 1000,
    });
    return token;
  }
}
