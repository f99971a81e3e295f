import type { Reporter } from "../../deploy/reporter.ts";
import { LabError } from "../../errors.ts";
import { Border0Api, type Border0Socket } from "../border0-api.ts";
import { type Border0Token, decodeBorder0Token } from "../border0-token.ts";
import type { ShareEntry } from "../plan.ts";
import { certifiedKey, publicKeyLine } from "../ssh-cert.ts";
import { refreshDelay, saveToken } from "../token.ts";
import { newKey } from "../tunnel.ts";
import type { OpenedSocket, ShareProvider } from "./types.ts";

// Border0, mysocket's successor (border0-api.md): a socket per entry named for the lab, a policy
// for an entry's allow-list, and a tunnel per socket: a fresh key signed before every connect, the
// edge's host key pinned to the one the API returns, a remote forward the edge picks, and a pty
// session held open beside it (the edge ends the tunnel with the session).

/** Border0 socket names: DNS labels, unique per lab (two labs' r1 never collide). */
export function border0Name(lab: string, node: string, type: string, port: number): string {
  const label = `${lab}-${node}-${type}-${port}`
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-+/, "");
  return label.slice(0, 63).replace(/-+$/, "");
}

/** publish: types as Border0 socket types (raw TCP is a tls socket on Border0). */
export function border0Type(type: string): { socket_type: string; upstream_type?: string } {
  if (type === "https") return { socket_type: "http", upstream_type: "https" };
  if (type === "tcp") return { socket_type: "tls" };
  return { socket_type: type };
}

function address(s: Border0Socket): string {
  if (s.socket_type === "http") return `https://${s.dnsname}`;
  if (s.socket_type === "ssh") return `ssh <user>@${s.dnsname} (through the Border0 client)`;
  return `${s.dnsname}:${s.socket_tcp_ports?.[0] ?? ""}`.replace(/:$/, "");
}

const policyName = (socket: string) => `lab-${socket}`.slice(0, 63);

export function border0Provider(o: {
  api: string;
  edge: { host: string; port: number };
  token: Border0Token;
}): ShareProvider {
  const api = new Border0Api(o.api, o.token.token);
  let saidTcp = false;
  let expiresAt = o.token.expiresAt;
  return {
    id: "border0",
    nameFor: border0Name,
    // Containerlab documented Border0's free plan as 5 tls and 10 http sockets.
    limits: { tcp: 5, http: 10 },
    describe: () =>
      `border0 as ${o.token.account}${o.token.org ? ` of organisation ${o.token.org}` : ""} (token from ${o.token.source}; API ${o.api}, edge ${o.edge.host}:${o.edge.port})`,
    args: ["--provider", "border0"],
    async prepare(reporter) {
      // A refused token is one line before anything is created.
      await api.check();
      if (!o.token.file)
        reporter.info(
          `the access token from ${o.token.source} is not refreshed${expiresAt ? `: it expires at ${new Date(expiresAt).toISOString()}, and the tunnels with it` : " (it has no expiry)"}`,
        );
    },
    // A user token (from a file: lab login border0, ~/.border0/token) is refreshed before it expires,
    // as Border0's CLI does while sockets are connected; the file gets the new one.
    ...(o.token.file
      ? {
          refresh: {
            nextInMs: () => refreshDelay(expiresAt, 5_000),
            async run(reporter: Reporter) {
              const token = await api.refresh();
              const fresh = decodeBorder0Token(token, "the refresh");
              api.setToken(token);
              expiresAt = fresh.expiresAt;
              if (o.token.file) await saveToken(o.token.file, token);
              reporter.info(
                `refreshed the Border0 token${expiresAt ? `; it now expires at ${new Date(expiresAt).toISOString()}` : ""}`,
              );
            },
          },
        }
      : {}),
    async removeStale(names) {
      const stale = await api.socketsNamed(names);
      for (const s of stale) await api.deleteSocket(s.socket_id);
      for (const name of names) {
        const policy = await api.findPolicy(policyName(name));
        if (policy) await api.deletePolicy(policy.id);
      }
      return stale.map((s) => s.name);
    },
    async open(e: ShareEntry, _lab, reporter) {
      if (e.entry.type === "tcp" && !saidTcp) {
        saidTcp = true;
        reporter.info(
          "Border0 has no raw TCP sockets: tcp entries are published as tls sockets (the Border0 client reaches them)",
        );
      }
      const socket = await createSocket(api, e);
      const { policyId, who } = await allowList(api, e, socket);
      return {
        name: e.name,
        socketId: socket.socket_id,
        dnsname: socket.dnsname,
        type: socket.socket_type,
        ports: socket.socket_tcp_ports ?? [],
        address: address(socket),
        who,
        ...(policyId ? { policyId } : {}),
        tunnel: edgeTunnel(api, socket, o),
      };
    },
    async close(s) {
      await api.deleteSocket(s.socketId);
      if (s.policyId) await api.deletePolicy(s.policyId);
    },
  };
}

/** The socket at Border0, refused (and taken back) when it has a setting lab's tunnels do not speak. */
async function createSocket(api: Border0Api, e: ShareEntry): Promise<Border0Socket> {
  const socket = await api.createSocket({
    name: e.name,
    description: `lab ${e.node} ${e.entry.spec}`,
    ...border0Type(e.entry.type),
    tags: { "created-by": "lab", node: e.node },
  });
  if (socket.connector_authentication_enabled || socket.end_to_end_encryption_enabled) {
    await api.deleteSocket(socket.socket_id).catch(() => {});
    throw new LabError(
      "remote",
      `Border0 socket ${e.name} has ${socket.end_to_end_encryption_enabled ? "end-to-end encryption" : "connector authentication"} on, which lab's tunnels do not speak`,
      { hint: "Turn it off for sockets lab makes (organization settings), or use --via with your own SSH host" },
    );
  }
  return socket;
}

/** publish:'s allow-list as the socket's own policy; without one, the organisation's policies decide. */
async function allowList(
  api: Border0Api,
  e: ShareEntry,
  socket: Border0Socket,
): Promise<{ policyId?: string; who: string }> {
  if (!(e.entry.emails.length + e.entry.domains.length))
    return { who: "the organisation's default policy (no allow-list in publish:)" };
  let policyId: string | undefined;
  try {
    const policy = await api.createPolicy(
      policyName(e.name),
      { email: e.entry.emails, domain: e.entry.domains },
      `lab: who may reach ${e.node} ${e.entry.spec}`,
    );
    policyId = policy.id;
    await api.attachPolicy(socket.socket_id, policy.id);
  } catch (error) {
    // Without its policy the socket would be open to the organisation's policies: take both back.
    await api.deleteSocket(socket.socket_id).catch(() => {});
    if (policyId) await api.deletePolicy(policyId).catch(() => {});
    throw error;
  }
  return { policyId, who: [...e.entry.emails, ...e.entry.domains].join(", ") };
}

/**
 * The tunnel to Border0's edge: a fresh key certified by the API for this socket, and the edge's
 * host key the API gave (anything else is refused).
 */
function edgeTunnel(
  api: Border0Api,
  socket: Border0Socket,
  o: { edge: { host: string; port: number }; token: Border0Token },
): OpenedSocket["tunnel"] {
  let hostKey: Buffer | undefined;
  return {
    edge: o.edge,
    username: o.token.sshUser,
    forward: { bind: "127.0.0.1", ports: [0] },
    shell: "pty",
    keepaliveRequest: "keepalive@border0.com",
    async auth() {
      const pem = newKey();
      const signed = await api.signKey(socket.socket_id, publicKeyLine(pem));
      hostKey = Buffer.from(signed.hostKey.trim().split(/\s+/).at(-1) ?? "", "base64");
      return [{ type: "publickey", username: o.token.sshUser, key: certifiedKey(pem, signed.cert) }];
    },
    verifyHostKey(key) {
      if (hostKey?.length && key.equals(hostKey)) return true;
      return `the edge ${o.edge.host}:${o.edge.port} presented a host key that is not the one Border0's API gave: refusing to connect (someone may be in the middle)`;
    },
  };
}
