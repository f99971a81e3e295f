// A token service for the test registry, run as its own process (tests call lab synchronously):
//   bun token-server.ts PORT_FILE KEY_PEM CERT_PEM USERS_JSON LOG_FILE
// Users get pull/push everywhere except repositories under denied/; only admin may list the catalog.
import { createSign, randomUUID } from "node:crypto";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";

const [portFile, keyFile, certFile, usersJson, logFile] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
];
const keyPem = readFileSync(keyFile, "utf8");
const certDer = readFileSync(certFile, "utf8").replace(/-----[^-]+-----|\s/g, "");
const users = JSON.parse(usersJson) as Record<string, string>;
const b64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");

function sign(claims: Record<string, unknown>): string {
  const header = b64url(JSON.stringify({ alg: "RS256", typ: "JWT", x5c: [certDer] }));
  const payload = b64url(JSON.stringify(claims));
  return `${header}.${payload}.${b64url(createSign("RSA-SHA256").update(`${header}.${payload}`).sign(keyPem))}`;
}

const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  fetch(req) {
    const url = new URL(req.url);
    if (url.pathname !== "/service/token") return new Response("not found", { status: 404 });
    // Harbor's token service answers POST with 405; so does this one.
    if (req.method !== "GET") return new Response("method not allowed", { status: 405 });
    const auth = req.headers.get("authorization");
    let user = "";
    if (auth?.startsWith("Basic ")) {
      const decoded = Buffer.from(auth.slice(6), "base64").toString("utf8");
      const i = decoded.indexOf(":");
      user = decoded.slice(0, i);
      if (users[user] !== decoded.slice(i + 1))
        return Response.json({ errors: [{ code: "UNAUTHORIZED", message: "bad credentials" }] }, { status: 401 });
    }
    const scopes = url.searchParams.getAll("scope");
    appendFileSync(logFile, `${JSON.stringify(scopes)}\n`);
    const access = scopes.flatMap((s) => {
      const first = s.indexOf(":");
      const last = s.lastIndexOf(":");
      const type = s.slice(0, first);
      const name = s.slice(first + 1, last);
      const actions = s.slice(last + 1).split(",");
      if (!user) return [];
      if (type === "registry") return user === "admin" ? [{ type, name, actions }] : [];
      if (name.startsWith("denied/")) return [{ type, name, actions: actions.filter((a) => a === "pull") }];
      return [{ type, name, actions }];
    });
    const now = Math.floor(Date.now() / 1000);
    const token = sign({
      iss: "lab-test-issuer",
      sub: user,
      aud: "harbor-registry",
      exp: now + 300,
      nbf: now - 10,
      iat: now,
      jti: randomUUID(),
      access,
    });
    return Response.json({ token, access_token: token, expires_in: 300, issued_at: new Date().toISOString() });
  },
});
writeFileSync(portFile, String(server.port));
