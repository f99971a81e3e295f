import { existsSync, readFileSync } from "node:fs";
import type ssh2 from "ssh2";
import { LabError } from "../../errors.ts";
import { authMethods, type SshOptions, type SshTarget, sshConnect, sshExec } from "../../ssh/connect.ts";
import { checkHostKey, parseKnownHosts } from "../../ssh/known-hosts.ts";
import type { ShareEntry } from "../plan.ts";
import type { ShareProvider } from "./types.ts";

// Your own edge: any SSH host you can log in to (--via ssh://user@host[:port]), no account. Each
// entry is a remote forward there: a port the server picks (or one of --remote-ports), bound to all
// its addresses where GatewayPorts allows it; sish (--edge sish) gets subdomains for http entries
// and prints the public addresses on the session.

export interface SshEdgeOptions {
  target: SshTarget;
  env: Record<string, string | undefined>;
  identity?: string;
  acceptNewHostKey: boolean;
  /** --remote-ports 20000-20100: candidates for each forward. */
  remotePorts?: [number, number];
  edge: "openssh" | "sish";
  /** --public: the user accepts that entries with an allow-list are open to anyone at the edge. */
  public?: boolean;
}

/** --remote-ports A-B as a range. */
export function parsePortRange(text: string): [number, number] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text.trim());
  const [a, b] = [Number(m?.[1]), Number(m?.[2] ?? m?.[1])];
  if (!m || !(a >= 1 && b <= 65535 && a <= b))
    throw new LabError("usage", `--remote-ports ${text} is not a port range`, {
      hint: "e.g. --remote-ports 20000-20100",
    });
  return [a, b];
}

/** What sish prints on the session: HTTP: / HTTPS: / TCP: lines (ANSI colours stripped). */
export function sishAddresses(output: string): string[] {
  const clean = output.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "");
  return [...clean.matchAll(/\b(HTTPS|HTTP|TCP):\s*(\S+)/g)].map((m) =>
    m[1] === "TCP" ? (m[2] as string) : (m[2] as string),
  );
}

/** Listening sockets in /proc/net/tcp{,6} output: port → the addresses it listens on. */
export function listeners(procNet: string): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const line of procNet.split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f[3] !== "0A" || !f[1]?.includes(":")) continue;
    const [addr, port] = f[1].split(":") as [string, string];
    const list = out.get(Number.parseInt(port, 16)) ?? [];
    list.push(addr);
    out.set(Number.parseInt(port, 16), list);
  }
  return out;
}

const LOOPBACK = new Set(["0100007F", "00000000000000000000000001000000"]);

export function sshProvider(o: SshEdgeOptions): ShareProvider {
  const { target } = o;
  const where = `${target.user}@${target.host}:${target.port}`;
  const sshOpts = (hostKeys: SshOptions["hostKeys"]): SshOptions => ({ env: o.env, identity: o.identity, hostKeys });
  let control: ssh2.Client | undefined;
  let nextPort = o.remotePorts?.[0];
  const candidates = () => {
    if (!o.remotePorts) return [0];
    // Each forward starts where the last left off and tries the rest of the range.
    const [a, b] = o.remotePorts;
    const start = nextPort && nextPort <= b ? nextPort : a;
    const list = [
      ...Array.from({ length: b - start + 1 }, (_, i) => start + i),
      ...Array.from({ length: start - a }, (_, i) => a + i),
    ];
    nextPort = start + 1;
    return list;
  };
  return {
    id: "ssh",
    nameFor: (lab, node, type, port) => `${lab}-${node}-${type}-${port}`,
    describe: () => `your SSH host ${where}${o.edge === "sish" ? " (sish)" : ""}`,
    args: [
      "--via",
      `ssh://${encodeURIComponent(target.user)}@${target.host.includes(":") ? `[${target.host}]` : target.host}:${target.port}`,
      ...(o.identity ? ["--identity", o.identity] : []),
      ...(o.acceptNewHostKey ? ["--accept-new-host-key"] : []),
      ...(o.remotePorts ? ["--remote-ports", `${o.remotePorts[0]}-${o.remotePorts[1]}`] : []),
      ...(o.edge === "sish" ? ["--edge", "sish"] : []),
      ...(o.public ? ["--public"] : []),
    ],
    checkEntries(entries) {
      // An SSH edge forwards to anyone who reaches the port: an allow-list in publish: cannot hold.
      const listed = entries.filter((e) => e.entry.emails.length + e.entry.domains.length > 0);
      const [first] = listed;
      if (first && !o.public)
        throw new LabError(
          "input",
          `node ${first.node} publishes ${first.entry.spec} for ${[...first.entry.emails, ...first.entry.domains].join(", ")} only, and your own SSH host cannot enforce an allow-list${listed.length > 1 ? ` (nor for ${listed.length - 1} more)` : ""}: nothing was shared`,
          { hint: "Pass --public to share with anyone who reaches the edge anyway, or use --provider border0" },
        );
    },
    async prepare() {
      // Logs in once now: a refused key or an unknown host key is one line before anything starts.
      control = await sshConnect(target, sshOpts(o.acceptNewHostKey ? "accept-new" : "strict"));
    },
    async removeStale() {
      // Forwards end with their connections: nothing is left at the edge.
      return [];
    },
    async open(e: ShareEntry) {
      const known = () => {
        const file = `${o.env.HOME ?? "/root"}/.ssh/known_hosts`;
        return existsSync(file) ? parseKnownHosts(readFileSync(file, "utf8")) : [];
      };
      const http = e.entry.type === "http" || e.entry.type === "https";
      const sish = o.edge === "sish";
      let sishSaid = "";
      return {
        name: e.name,
        socketId: "",
        dnsname: target.host,
        type: e.entry.type,
        ports: [],
        address: sish ? "(sish prints it)" : `${target.host}:?`,
        who:
          e.entry.emails.length + e.entry.domains.length
            ? "public: anyone who reaches the edge (--public: its allow-list is not enforced)"
            : "anyone who reaches the edge",
        addressFor(edgePort, output) {
          if (sish) {
            sishSaid += output;
            return sishAddresses(sishSaid)[0];
          }
          return edgePort ? `${http ? `${e.entry.type}://` : ""}${target.host}:${edgePort}` : undefined;
        },
        tunnel: {
          edge: { host: target.host, port: target.port },
          username: target.user,
          forward:
            sish && http
              ? { bind: `${e.node}-${e.entry.port}`, ports: [80] }
              : { bind: sish ? "localhost" : "0.0.0.0", ports: candidates() },
          ...(sish ? { shell: "plain" as const } : {}),
          async auth() {
            return authMethods(target.user, sshOpts("strict")) as never;
          },
          verifyHostKey(key) {
            return checkHostKey(known(), target.host, target.port, key) === "known"
              ? true
              : `the host key of ${target.host}:${target.port} is not the one in known_hosts: refusing to connect`;
          },
        },
      };
    },
    async close() {
      // The forward ends with the tunnel's connection.
    },
    async whileUp(sockets, reporter) {
      if (!control || o.edge === "sish") return;
      // Where did the server bind them? GatewayPorts no keeps forwards on its loopback.
      const r = await sshExec(control, "cat /proc/net/tcp /proc/net/tcp6 2>/dev/null").catch(() => undefined);
      control.end();
      control = undefined;
      if (!r || r.code !== 0) {
        reporter.debug(`cannot tell where ${target.host} bound the forwards (no /proc/net/tcp there)`);
        return;
      }
      const bound = listeners(r.stdout.toString());
      const local = sockets.filter(
        (s) => s.edgePort && (bound.get(s.edgePort) ?? []).every((a) => LOOPBACK.has(a)) && bound.has(s.edgePort),
      );
      if (local.length)
        reporter.warn(
          `${target.host} bound ${local.map((s) => s.edgePort).join(", ")} to its loopback only, so only it can reach them: set GatewayPorts clientspecified in its sshd_config (and reload sshd) to publish them`,
        );
    },
  };
}
