// A local fake of the Border0 API calls lab makes, for tests. Every route is one Border0's own
// clients call, cited beside it (borderzero/border0-go client/*.go, border0-cli internal/), so it
// cannot pass a client the service would refuse:
//   bun border0-api.ts STATE_DIR
// STATE_DIR/config.json: { user: {user_id, email}, caKey, hostKeyPub }. Writes STATE_DIR/port when
// listening. Tokens are HS256 JWTs; SSH user certificates are signed for real with ssh-keygen and the
// test CA, and signkey returns the real edge's host key (or another one when told to).
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jwt } from "./jwt.ts";

const stateDir = process.argv[2] as string;
const config = JSON.parse(readFileSync(join(stateDir, "config.json"), "utf8")) as {
  user: { user_id: string; email: string };
  caKey: string;
  hostKeyPub: string;
};
const SECRET = "fake-border0-secret";
const control = {
  swappedHostKey: false,
  endToEnd: false,
  /** Polls that find the device not yet approved (the first `unauthorizedPolls` of them answer 401). */
  devicePolls: 2,
  unauthorizedPolls: 0,
  /** The user denies the login in the portal. */
  denyDevice: false,
  /** Attaching a policy answers 404 (as for a policy the API does not know). */
  attachNotFound: false,
  /** Lifetime of the user tokens the device flow and /login/refresh hand out. */
  tokenSeconds: 3600,
};

interface Socket {
  socket_id: string;
  name: string;
  socket_type: string;
  upstream_type?: string;
  dnsname: string;
  socket_tcp_ports: number[];
  description?: string;
  tags?: Record<string, string>;
  policies: { id: string; name: string }[];
  connector_authentication_enabled: boolean;
  end_to_end_encryption_enabled: boolean;
}
interface Policy {
  id: string;
  name: string;
  description?: string;
  org_wide: boolean;
  policy_data: { condition?: { who?: { email?: string[]; domain?: string[] } } };
  socket_ids: string[];
}
const sockets: Socket[] = [];
const policies: Policy[] = [];
const devices = new Map<string, { polls: number; identifier: string }>();
const calls: string[] = [];

const { sign, verify } = jwt(SECRET);
const userToken = () =>
  sign({
    user_id: config.user.user_id,
    user_email: config.user.email,
    org_id: "fake-org",
    exp: Math.floor(Date.now() / 1000) + control.tokenSeconds,
    // Distinct per call, so a refreshed token differs from the one it replaced.
    jti: randomUUID(),
  });

const json = (data: unknown, status = 200) =>
  new Response(JSON.stringify(data), { status, headers: { "content-type": "application/json" } });
const error = (status: number, message: string) => json({ error_message: message, status_code: status }, status);

function signKey(publicKey: string, principal: string, id: string): string {
  const dir = mkdtempSync(join(tmpdir(), "fake-b0-sign-"));
  try {
    writeFileSync(join(dir, "key.pub"), `${publicKey.trim()}\n`);
    const r = spawnSync(
      "ssh-keygen",
      ["-q", "-s", config.caKey, "-I", id, "-n", principal, "-V", "-1m:+5m", join(dir, "key.pub")],
      {
        encoding: "utf8",
      },
    );
    if (r.status !== 0) throw new Error(r.stderr);
    return readFileSync(join(dir, "key-cert.pub"), "utf8").trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function otherHostKey(): string {
  const dir = mkdtempSync(join(tmpdir(), "fake-b0-host-"));
  try {
    spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(dir, "k")]);
    return readFileSync(join(dir, "k.pub"), "utf8").trim().split(" ")[1] as string;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let tlsPort = 40000 + Math.floor(Math.random() * 10000);

const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  async fetch(req) {
    const url = new URL(req.url);
    const path = url.pathname.replace(/^\/api\/v1/, "").replace(/\/+$/, "");
    calls.push(`${req.method} ${path}`);
    const body = async () => {
      const text = await req.text();
      return text ? JSON.parse(text) : null;
    };
    if (path === "/_state") return json({ sockets, policies, calls, control });
    if (path === "/_control" && req.method === "POST") {
      Object.assign(control, await body());
      return json(control);
    }
    // Device authorization: no token to start; the device token to poll.
    if (path === "/device_authorizations" && req.method === "POST") {
      const identifier = randomUUID();
      const token = sign({ identifier, exp: Math.floor(Date.now() / 1000) + 600 });
      devices.set(identifier, { polls: 0, identifier });
      return json({ token });
    }
    const raw = req.headers.get("x-access-token") ?? req.headers.get("authorization")?.replace(/^Bearer\s+/i, "") ?? "";
    const claims = verify(raw);
    if (!claims) return error(401, "invalid token");
    // border0-go client/authentication.go getDeviceAuthorizationStatus: 401 and "not_authorized"
    // both mean "not yet"; the SDK and the CLI (internal/http/handler.go) poll through them.
    if (path === "/device_authorizations" && req.method === "GET") {
      const device = devices.get(String(claims.identifier ?? ""));
      if (!device) return error(401, "unknown device");
      device.polls++;
      if (device.polls <= control.unauthorizedPolls) return error(401, "device not authorized yet");
      if (control.denyDevice && device.polls > control.devicePolls) return json({ token: "", state: "denied" });
      // Approved (as if in the portal) after a few polls.
      return device.polls > control.devicePolls
        ? json({ token: userToken(), state: "authorized" })
        : json({ token: "", state: "not_authorized" });
    }
    if (claims.user_id !== config.user.user_id) return error(401, "not a user token");
    // border0-cli internal/api/api.go RefreshAccessToken: POST login/refresh {} → {token}.
    if (path === "/login/refresh" && req.method === "POST") return json({ token: userToken() });
    const principal = config.user.user_id.replaceAll("-", "");

    // border0-go client/socket.go Sockets (paginated list).
    if (path === "/sockets" && req.method === "GET") {
      const name = url.searchParams.get("name");
      const list = sockets.filter((s) => !name || s.name === name);
      return json({ list, pagination: { current_page: 1, next_page: 0, total_pages: 1 } });
    }
    // border0-go client/socket.go CreateSocket.
    if (path === "/socket" && req.method === "POST") {
      const b = (await body()) ?? {};
      const name = String(b.name ?? "");
      if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(name) || name.length > 63)
        return error(400, `invalid socket name ${name}`);
      if (sockets.some((s) => s.name === name)) return error(409, `socket ${name} already exists`);
      const type = String(b.socket_type ?? "");
      if (!["http", "tls", "ssh", "database"].includes(type)) return error(400, `invalid socket_type ${type}`);
      const socket: Socket = {
        socket_id: randomUUID(),
        name,
        socket_type: type,
        ...(b.upstream_type ? { upstream_type: String(b.upstream_type) } : {}),
        dnsname: `${name}-fakeorg.border0.test`,
        socket_tcp_ports: type === "tls" ? [tlsPort++] : [],
        description: b.description,
        tags: b.tags,
        policies: [],
        connector_authentication_enabled: false,
        end_to_end_encryption_enabled: control.endToEnd,
      };
      sockets.push(socket);
      return json(socket);
    }
    // border0-go client/policy.go CreatePolicy: Policy{name, version, description, org_wide,
    // policy_data}; a v1 policy_data has version, action and condition (PolicyData).
    if (path === "/policies" && req.method === "POST") {
      const b = (await body()) ?? {};
      if (policies.some((p) => p.name === b.name)) return error(409, `policy ${b.name} already exists`);
      if (b.version !== "v1" && b.version !== "v2") return error(400, "policy version must be v1 or v2");
      const data = b.policy_data ?? {};
      if (b.version === "v1" && (data.version !== "v1" || !Array.isArray(data.action) || !data.condition))
        return error(400, "policy_data is not a v1 policy (version, action, condition)");
      const policy: Policy = {
        id: randomUUID(),
        name: b.name,
        description: b.description,
        org_wide: !!b.org_wide,
        policy_data: b.policy_data,
        socket_ids: [],
      };
      policies.push(policy);
      return json(policy);
    }
    // border0-go client/policy.go PoliciesByNames (one name): 404 when there is none.
    if (path === "/policies/find" && req.method === "GET") {
      const policy = policies.find((p) => p.name === url.searchParams.get("name"));
      return policy ? json(policy) : error(404, "policy not found");
    }
    // border0-go client/policy.go Policy, UpdatePolicy, DeletePolicy: one policy is /policy/{id},
    // singular (there is no /policies/{id} route: it answers 404, as the service does).
    const pm = /^\/policy\/([^/]+)$/.exec(path);
    if (pm) {
      const i = policies.findIndex((p) => p.id === pm[1]);
      if (i < 0) return error(404, "policy not found");
      if (req.method === "GET") return json(policies[i]);
      if (req.method === "DELETE") {
        for (const s of sockets) s.policies = s.policies.filter((p) => p.id !== pm[1]);
        policies.splice(i, 1);
        return new Response(null, { status: 204 });
      }
    }
    const m = /^\/socket\/([^/]+)(\/signkey|\/policy)?$/.exec(path);
    const socket = m
      ? sockets.find(
          (s) => s.socket_id === decodeURIComponent(m[1] as string) || s.name === decodeURIComponent(m[1] as string),
        )
      : undefined;
    if (!m || !socket) return error(404, "socket not found");
    if (!m[2]) {
      if (req.method === "GET") return json(socket);
      if (req.method === "DELETE") {
        sockets.splice(sockets.indexOf(socket), 1);
        for (const p of policies) p.socket_ids = p.socket_ids.filter((id) => id !== socket.socket_id);
        return new Response(null, { status: 204 });
      }
    }
    // border0-go client/socket.go SignSocketKey.
    if (m[2] === "/signkey" && req.method === "POST") {
      const { ssh_public_key } = (await body()) ?? {};
      if (!ssh_public_key) return error(400, "ssh_public_key missing");
      const hostKey = control.swappedHostKey ? otherHostKey() : config.hostKeyPub.trim().split(" ")[1];
      return json({
        signed_ssh_cert: signKey(ssh_public_key, principal, `${config.user.email}-${socket.name}`),
        host_key: hostKey,
      });
    }
    // border0-go client/policy.go AttachPoliciesToSocket: PUT /socket/{id}/policy; an unknown
    // policy is a 404.
    if (m[2] === "/policy" && req.method === "PUT") {
      const { actions } = (await body()) ?? {};
      if (control.attachNotFound) return error(404, "policy not found");
      for (const a of actions ?? []) {
        const policy = policies.find((p) => p.id === a.id);
        if (!policy) return error(404, `policy ${a.id} not found`);
        if (a.action === "add") {
          socket.policies.push({ id: policy.id, name: policy.name });
          policy.socket_ids.push(socket.socket_id);
        } else {
          socket.policies = socket.policies.filter((p) => p.id !== policy.id);
          policy.socket_ids = policy.socket_ids.filter((id) => id !== socket.socket_id);
        }
      }
      return json(socket);
    }
    return error(405, "method not allowed");
  },
});
writeFileSync(join(stateDir, "port"), String(server.port));
