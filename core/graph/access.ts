import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";

// Who may use lab's page server (lab graph, its terminals). A page elsewhere can make the browser
// send requests to 127.0.0.1, and DNS rebinding can give an attacker's name that address: so the
// server answers only requests whose Host names the address it serves (421 otherwise), sends no CORS
// headers, and refuses a WebSocket whose Origin is another site. Bound beyond loopback it also wants
// a per-run token (printed with the URL, as Jupyter does), kept afterwards in an HttpOnly cookie.

export interface AccessOptions {
  /** The address the server listens on, as given to --srv. */
  host: string;
  port: number;
  /** The per-run token; undefined: none asked (loopback, or --no-auth). */
  token?: string;
  /**
   * A login (HTTP Basic) every request must bring: a shared console's, or tools gotty's. Requests
   * then may come by any Host name (through a tunnel, the edge's): the login is the gate.
   */
  login?: { user: string; password: string; guard: LoginGuard };
  /** Who asks (the peer's address), for the login's rate limit. */
  peer?: string;
}

/**
 * Failed logins per peer address: after `max` within `windowMs`, that peer is refused (429) until
 * the window passes, so a password cannot be guessed at the speed of the network.
 */
export class LoginGuard {
  private readonly failures = new Map<string, number[]>();
  constructor(
    private readonly max = 10,
    private readonly windowMs = 60_000,
    private readonly now = () => Date.now(),
  ) {}
  private recent(peer: string): number[] {
    const t = this.now();
    const list = (this.failures.get(peer) ?? []).filter((x) => t - x < this.windowMs);
    this.failures.set(peer, list);
    return list;
  }
  blocked(peer: string): boolean {
    return this.recent(peer).length >= this.max;
  }
  fail(peer: string): void {
    this.recent(peer).push(this.now());
  }
}

export interface AccessRequest {
  /** The request's path and query. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

export type AccessVerdict =
  | { ok: true; setCookie?: string; user?: string }
  | { ok: false; status: number; message: string; headers?: Record<string, string> };

const COOKIE = "lab_token";

export const isLoopback = (host: string) =>
  host === "localhost" || host === "::1" || (isIP(host) === 4 && host.startsWith("127."));

/** A fresh token: 24 random bytes, URL-safe. */
export const newAccessToken = () => randomBytes(24).toString("base64url");

/** The names a Host header may give for this server: its address, and loopback's names when local. */
export function allowedHosts(host: string, port: number): Set<string> | undefined {
  // Bound to every address (0.0.0.0, ::): any name may lead here; the token is the gate.
  if (host === "0.0.0.0" || host === "::" || host === "") return undefined;
  const names = new Set([host.includes(":") ? `[${host}]` : host]);
  if (isLoopback(host)) for (const n of ["localhost", "127.0.0.1", "[::1]"]) names.add(n);
  return new Set([...names].map((n) => `${n}:${port}`.toLowerCase()));
}

const header = (r: Pick<AccessRequest, "headers">, name: string) => {
  const v = r.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** Equal secrets, compared in constant time whatever their lengths (their SHA-256 digests are). */
function sameToken(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const digest = (v: string) => createHash("sha256").update(v).digest();
  return timingSafeEqual(digest(given), digest(token)) && given.length > 0;
}

/** The login a request brings (HTTP Basic), checked in constant time; false when absent or wrong. */
function loggedIn(r: AccessRequest, login: { user: string; password: string }): boolean {
  const auth = header(r, "authorization");
  if (!auth?.toLowerCase().startsWith("basic ")) return false;
  const decoded = Buffer.from(auth.slice(6).trim(), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return false;
  // Both compared whole: the answer takes as long whichever part is wrong.
  const user = sameToken(decoded.slice(0, colon), login.user);
  const password = sameToken(decoded.slice(colon + 1), login.password);
  return user && password;
}

/** Whether to answer a request, and the cookie to set when it brought the token in its URL. */
export function checkAccess(o: AccessOptions, r: AccessRequest): AccessVerdict {
  if (o.login) {
    const peer = o.peer ?? "?";
    if (o.login.guard.blocked(peer))
      return { ok: false, status: 429, message: "too many failed logins: try again in a minute\n" };
    if (!loggedIn(r, o.login)) {
      if (header(r, "authorization")) o.login.guard.fail(peer);
      return {
        ok: false,
        status: 401,
        message: "this console needs its login\n",
        headers: { "www-authenticate": 'Basic realm="lab console", charset="UTF-8"' },
      };
    }
  }
  const allowed = o.login ? undefined : allowedHosts(o.host, o.port);
  const hostHeader = (header(r, "host") ?? "").toLowerCase();
  if (allowed && !allowed.has(hostHeader))
    return { ok: false, status: 421, message: `this server answers only for ${[...allowed].join(", ")}\n` };
  // A WebSocket from a page of another site: refused (browsers send Origin on every upgrade).
  if (header(r, "upgrade") && !originIsHost(r))
    return { ok: false, status: 403, message: "cross-origin WebSocket refused\n" };
  if (!o.token) return { ok: true };
  const query = new URL(r.url, "http://x").searchParams.get("token") ?? undefined;
  const cookie = (header(r, "cookie") ?? "")
    .split(";")
    .map((c) => c.trim().split("="))
    .find(([k]) => k === COOKIE)?.[1];
  const bearer = header(r, "authorization")?.replace(/^Bearer\s+/i, "");
  if (sameToken(query, o.token))
    return { ok: true, setCookie: `${COOKIE}=${o.token}; HttpOnly; SameSite=Strict; Path=/` };
  if (sameToken(cookie, o.token) || sameToken(bearer, o.token)) return { ok: true };
  return { ok: false, status: 403, message: "this page needs its token: open the URL lab printed\n" };
}

/** Origin, when the browser sends it (it does on every POST and WebSocket), names this server. */
export function originIsHost(r: Pick<AccessRequest, "headers">): boolean {
  const origin = header(r, "origin");
  if (!origin) return true;
  try {
    return new URL(origin).host.toLowerCase() === (header(r, "host") ?? "").toLowerCase();
  } catch {
    return false;
  }
}
