import { tofuVerifier } from "../../ssh/tofu.ts";
import { MysocketApi } from "../api.ts";
import { addressHint } from "../plan.ts";
import { certifiedKey, publicKeyLine } from "../ssh-cert.ts";
import { decodeToken, type MysocketToken, refreshDelay, saveToken } from "../token.ts";
import { newKey } from "../tunnel.ts";
import type { ShareProvider } from "./types.ts";

// The mysocket API lab has always spoken (mysocket-api.md): a socket and a tunnel per entry, a
// certificate signed for each connect, the tunnel's port forwarded on the edge.

export function mysocketProvider(o: {
  api: string;
  edge: { host: string; port: number };
  token: MysocketToken;
  /** lab's known_hosts, where the edge's key is recorded on first use. */
  knownHosts: string;
}): ShareProvider {
  const api = new MysocketApi(o.api, o.token.token);
  let expiresAt = o.token.expiresAt;
  return {
    id: "mysocket",
    nameFor: (_lab, node, type, port) => `clab-${type}-${port}-${node}`,
    limits: { tcp: 5, http: 10 },
    describe: () =>
      `mysocket as user ${o.token.userId} (token from ${o.token.source}; API ${o.api}, edge ${o.edge.host}:${o.edge.port})`,
    args: ["--provider", "mysocket", "--api", o.api],
    async prepare() {
      // The token was read and checked for expiry when the provider was picked.
    },
    async removeStale(names) {
      const stale = (await api.sockets()).filter((s) => names.has(s.name));
      for (const s of stale) await api.deleteSocket(s.socket_id);
      return stale.map((s) => s.name);
    },
    async open(e) {
      // mysocket had no ssh sockets: an ssh entry is a tcp one there.
      const socket = await api.createSocket({
        name: e.name,
        type: e.entry.type === "ssh" ? "tcp" : e.entry.type,
        emails: e.entry.emails,
        domains: e.entry.domains,
      });
      const tunnel = await api.createTunnel(socket.socket_id);
      return {
        name: e.name,
        socketId: socket.socket_id,
        dnsname: socket.dnsname,
        type: socket.socket_type,
        ports: socket.socket_tcp_ports,
        address: addressHint(socket.socket_type, socket.dnsname, socket.socket_tcp_ports, e.entry.port),
        who: socket.cloud_authentication_enabled
          ? [...e.entry.emails, ...e.entry.domains].join(", ")
          : "anyone with the address",
        tunnelId: tunnel.tunnel_id,
        localPort: tunnel.local_port,
        cloudAuth: socket.cloud_authentication_enabled,
        tunnel: {
          edge: o.edge,
          username: o.token.sshUser,
          forward: { bind: "localhost", ports: [tunnel.local_port] },
          // The edge's key is recorded the first time; a different one later refuses the tunnel.
          verifyHostKey: tofuVerifier(o.knownHosts, o.edge.host, o.edge.port, "the mysocket edge"),
          async auth() {
            const pem = newKey();
            const cert = await api.signKey(socket.socket_id, tunnel.tunnel_id, publicKeyLine(pem));
            return [{ type: "publickey", username: o.token.sshUser, key: certifiedKey(pem, cert) }];
          },
        },
      };
    },
    async close(s) {
      await api.deleteSocket(s.socketId);
    },
    refresh: {
      // Tokens last hours: refreshed well before expiry while the tunnels run.
      nextInMs: () => refreshDelay(expiresAt, 60_000),
      async run(reporter) {
        const { token } = await api.refresh();
        api.setToken(token);
        expiresAt = decodeToken(token, "the refresh").expiresAt;
        if (o.token.file) await saveToken(o.token.file, token);
        reporter.debug("refreshed the mysocket token");
      },
    },
  };
}
