// A faithful local fake of the mysocket.io HTTP API (shapes from the reference notes), for tests:
//   bun mysocket-api.ts STATE_DIR
// STATE_DIR/config.json: { users: [{email, password, user_id}], caKey, tokenSeconds, limits: {tcp, http} }
// Writes STATE_DIR/port when listening. Tokens are HS256 JWTs (clients never verify them); SSH user
// certificates are signed for real with ssh-keygen and the test CA, for an OpenSSH edge.
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jwt } from "./jwt.ts";

const stateDir = process.argv[2] as string;
const config = JSON.parse(readFileSync(join(stateDir, "config.json"), "utf8")) as {
  users: { email: string; password: string; user_id: string }[];
  caKey: string;
  tokenSeconds?: number;
  limits?: { tcp: number; http: number };
};
const SECRET = "fake-mysocket-secret";
const control = { badCa: false };

interface Tunnel {
  tunnel_id: string;
  local_port: number;
  tunnel_server: string;
}
interface Socket {
  socket_id: string;
  name: string;
  dnsname: string;
  socket_type: string;
  socket_tcp_ports: number[];
  cloud_authentication_enabled: boolean;
  cloud_authentication_email_allowed_addressses: string[];
  cloud_authentication_email_allowed_domains: string[];
  protected_socket: boolean;
  protected_username: string;
  protected_password: string;
  user_name: string;
  owner: string;
  tunnels: Tunnel[];
}
const sockets: Socket[] = [];

const { sign, verify } = jwt(SECRET);
const tokenFor = (user: { user_id: string; email: string }) =>
  sign({
    user_id: user.user_id,
    user_email: user.email,
    exp: Math.floor(Date.now() / 1000) + (config.tokenSeconds ?? 18000),
  });

// Pretty-printed as the real service did (its shell helper grepped "token" off its own line).
const json = (data: unknown, status = 200) =>
  new Response(JSON.stringify(data, null, 2), { status, headers: { "content-type": "application/json" } });
const error = (status: number, message: string) => json({ error_message: message, status_code: status }, status);

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const words = ["wild-water", "falling-wave", "nameless-bird", "muddy-darkness", "quiet-field"];

function signKey(publicKey: string, principal: string, id: string): string {
  const dir = mkdtempSync(join(tmpdir(), "fake-sign-"));
  try {
    writeFileSync(join(dir, "key.pub"), `${publicKey.trim()}\n`);
    let ca = config.caKey;
    if (control.badCa) {
      ca = join(dir, "other-ca");
      spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", ca]);
    }
    const r = spawnSync(
      "ssh-keygen",
      ["-q", "-s", ca, "-I", id, "-n", principal, "-V", "-5m:+1h", join(dir, "key.pub")],
      { encoding: "utf8" },
    );
    if (r.status !== 0) throw new Error(r.stderr);
    return readFileSync(join(dir, "key-cert.pub"), "utf8").trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  async fetch(req) {
    const url = new URL(req.url);
    const path = url.pathname.replace(/\/+$/, "");
    const body = async () => {
      const text = await req.text();
      return text ? JSON.parse(text) : null;
    };
    if (path === "/_state") return json({ sockets, control });
    if (path === "/_control" && req.method === "POST") {
      Object.assign(control, await body());
      return json(control);
    }
    if (path === "/login" && req.method === "POST") {
      const { email, password } = (await body()) ?? {};
      const user = config.users.find((u) => u.email === email && u.password === password);
      return user ? json({ token: tokenFor(user) }) : error(401, "Login failed");
    }
    const raw = req.headers.get("x-access-token") ?? req.headers.get("authorization")?.replace(/^Bearer\s+/i, "") ?? "";
    const claims = verify(raw);
    if (!claims) return error(401, "No valid token, Please login");
    const user = config.users.find((u) => u.user_id === claims.user_id);
    if (!user) return error(401, "unknown user");
    const userName = user.user_id.replaceAll("-", "");
    const mine = sockets.filter((s) => s.owner === user.user_id);
    if (path === "/login/refresh" && req.method === "POST") return json({ token: tokenFor(user) });
    if (path === `/user/${user.user_id}`)
      return json({ name: "lab tester", email: user.email, user_id: user.user_id, user_name: userName });
    if ((path === "/connect" || path === "/socket") && req.method === "GET") return json(mine);
    if (path === "/socket" && req.method === "POST") {
      const b = (await body()) ?? {};
      const type = String(b.socket_type ?? "");
      if (!["http", "https", "tcp", "tls"].includes(type)) return error(400, `invalid socket_type ${type}`);
      const tcpBased = type === "tcp" || type === "tls";
      const limits = config.limits ?? { tcp: 5, http: 10 };
      const count = mine.filter((s) => (s.socket_type === "tcp" || s.socket_type === "tls") === tcpBased).length;
      if (count >= (tcpBased ? limits.tcp : limits.http)) {
        return error(
          400,
          `maximum number of ${tcpBased ? "tcp" : "http"} sockets reached (${tcpBased ? limits.tcp : limits.http})`,
        );
      }
      const port = await freePort();
      const socket: Socket = {
        socket_id: randomUUID(),
        name: String(b.name ?? ""),
        dnsname: `${words[sockets.length % words.length]}-${1000 + sockets.length}.edge.mysocket.test`,
        socket_type: type,
        socket_tcp_ports: [port],
        cloud_authentication_enabled: !!b.cloud_authentication_enabled,
        cloud_authentication_email_allowed_addressses:
          b.cloud_authentication_email_allowed_addressses ?? b.cloud_authentication_email_allowed_addresses ?? [],
        cloud_authentication_email_allowed_domains: b.cloud_authentication_email_allowed_domains ?? [],
        protected_socket: !!b.protected_socket,
        protected_username: b.protected_username ?? "",
        protected_password: b.protected_password ?? "",
        user_name: userName,
        owner: user.user_id,
        tunnels: [],
      };
      sockets.push(socket);
      return json(socket);
    }
    const m = /^\/socket\/([^/]+)(?:\/tunnel(?:\/([^/]+)(\/signkey)?)?)?$/.exec(path);
    const socket = m ? mine.find((s) => s.socket_id === m[1] || s.name === m[1]) : undefined;
    if (!m || !socket) return error(404, "socket not found");
    const [, , tunnelId, signkey] = m;
    if (!path.includes("/tunnel")) {
      if (req.method === "GET") return json(socket);
      if (req.method === "DELETE") {
        sockets.splice(sockets.indexOf(socket), 1);
        return new Response(null, { status: 204 });
      }
    }
    if (!tunnelId) {
      if (req.method === "GET") return json(socket.tunnels);
      if (req.method === "POST") {
        // The relay port is the socket's public port: the edge's forward is the public endpoint here.
        const tunnel = { tunnel_id: randomUUID(), local_port: socket.socket_tcp_ports[0] as number, tunnel_server: "" };
        socket.tunnels.push(tunnel);
        return json(tunnel);
      }
    }
    const tunnel = socket.tunnels.find((t) => t.tunnel_id === tunnelId);
    if (!tunnel) return error(404, "tunnel not found");
    if (signkey && req.method === "POST") {
      const { ssh_public_key } = (await body()) ?? {};
      if (!ssh_public_key) return error(400, "ssh_public_key missing");
      return json({ signed_ssh_cert: signKey(ssh_public_key, userName, `${user.email}-${tunnel.tunnel_id}`) });
    }
    if (req.method === "GET") return json(tunnel);
    if (req.method === "DELETE") {
      socket.tunnels.splice(socket.tunnels.indexOf(tunnel), 1);
      return new Response(null, { status: 204 });
    }
    return error(405, "method not allowed");
  },
});
writeFileSync(join(stateDir, "port"), String(server.port));
