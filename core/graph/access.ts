import { randomBytes, timingSafeEqual } from "node:crypto";
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
}

export interface AccessRequest {
  /** The request's path and query. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

export type AccessVerdict = { ok: true; setCookie?: string } | { ok: false; status: number; message: string };

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

const header = (r: AccessRequest, name: string) => {
  const v = r.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

function sameToken(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Whether to answer a request, and the cookie to set when it brought the token in its URL. */
export function checkAccess(o: AccessOptions, r: AccessRequest): AccessVerdict {
  const allowed = allowedHosts(o.host, o.port);
  const hostHeader = (header(r, "host") ?? "").toLowerCase();
  if (allowed && !allowed.has(hostHeader))
    return { ok: false, status: 421, message: `this server answers only for ${[...allowed].join(", ")}\n` };
  const origin = header(r, "origin");
  if (origin && header(r, "upgrade")) {
    // A WebSocket from a page of another site: refused (browsers send Origin on every upgrade).
    let originHost = "";
    try {
      originHost = new URL(origin).host.toLowerCase();
    } catch {}
    if (originHost !== hostHeader) return { ok: false, status: 403, message: "cross-origin WebSocket refused\n" };
  }
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
