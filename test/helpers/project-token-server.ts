// A token service that grants as Harbor's does (src/core/service/token/creator.go), run as its own
// process in front of the real Distribution registry:
//   bun project-token-server.ts PORT_FILE KEY_PEM ACCOUNTS_JSON LOG_FILE
// ACCOUNTS_JSON: { "robot$proja+ci": { "password": "…", "projects": ["proja"] }, … }. An account gets
// pull and push on the repositories of its own projects only; nobody gets the catalog (Harbor grants
// it to system admins, and these are robots). A caller it cannot authenticate gets 401 when it asks no
// scope (docker login) and otherwise a token without access, as Harbor's anonymous context does.
// Tokens are RS256 JWTs whose `kid` is the libtrust key ID of the signing key, which Distribution
// (registry/auth/token) looks up among the keys of its rootcertbundle.
import { createHash, createPublicKey, createSign, randomUUID } from "node:crypto";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";

const [portFile, keyFile, accountsJson, logFile] = process.argv.slice(2) as [string, string, string, string];
const keyPem = readFileSync(keyFile, "utf8");
const accounts = JSON.parse(accountsJson) as Record<string, { password: string; projects: string[] }>;
const b64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");

/** libtrust's key ID: SHA-256 of the DER public key, 240 bits, base32 in 12 groups of 4 joined by ":". */
function libtrustKeyId(pem: string): string {
  const der = createPublicKey(pem).export({ type: "spki", format: "der" });
  const bits = createHash("sha256").update(der).digest().subarray(0, 30);
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let out = "";
  let acc = 0;
  let n = 0;
  for (const byte of bits) {
    acc = (acc << 8) | byte;
    n += 8;
    while (n >= 5) {
      out += alphabet[(acc >> (n - 5)) & 31];
      n -= 5;
    }
  }
  return (out.match(/.{4}/g) as string[]).join(":");
}
const kid = libtrustKeyId(keyPem);

function sign(claims: Record<string, unknown>): string {
  const header = b64url(JSON.stringify({ alg: "RS256", typ: "JWT", kid }));
  const payload = b64url(JSON.stringify(claims));
  return `${header}.${payload}.${b64url(createSign("RSA-SHA256").update(`${header}.${payload}`).sign(keyPem))}`;
}

function caller(auth: string | null): string {
  if (!auth?.startsWith("Basic ")) return "";
  const decoded = Buffer.from(auth.slice(6), "base64").toString("utf8");
  const i = decoded.indexOf(":");
  const user = decoded.slice(0, i);
  return accounts[user]?.password === decoded.slice(i + 1) ? user : "";
}

const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  fetch(req) {
    const url = new URL(req.url);
    if (url.pathname !== "/service/token") return new Response("not found", { status: 404 });
    // Harbor's token handler is a GET (beego Get()); a POST is not served.
    if (req.method !== "GET") return new Response("method not allowed", { status: 405 });
    const user = caller(req.headers.get("authorization"));
    const scopes = url.searchParams.getAll("scope").flatMap((s) => s.split(" "));
    appendFileSync(logFile, `${JSON.stringify({ user, scopes })}\n`);
    if (!user && !scopes.length) return new Response("", { status: 401 });
    const access = scopes.flatMap((s) => {
      const first = s.indexOf(":");
      const last = s.lastIndexOf(":");
      const [type, name, actions] = [s.slice(0, first), s.slice(first + 1, last), s.slice(last + 1).split(",")];
      if (type !== "repository") return [{ type, name, actions: [] }];
      const mine = !!user && (accounts[user]?.projects ?? []).includes(name.split("/")[0] as string);
      return [{ type, name, actions: mine ? actions.filter((a) => a === "pull" || a === "push") : [] }];
    });
    const now = Math.floor(Date.now() / 1000);
    const token = sign({
      iss: "lab-test-harbor",
      sub: user,
      aud: "harbor-registry",
      exp: now + 1800,
      nbf: now - 10,
      iat: now,
      jti: randomUUID(),
      access,
    });
    return Response.json({ token, expires_in: 1800, issued_at: new Date().toISOString() });
  },
});
writeFileSync(portFile, String(server.port));
