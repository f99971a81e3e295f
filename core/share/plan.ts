import { LabError } from "../errors.ts";
import type { LabModel } from "../topology/index.ts";
import type { PublishEntry } from "../topology/model.ts";

export interface ShareEntry {
  /** clab-<type>-<port>-<node>, the seed's pattern. */
  name: string;
  node: string;
  container: string;
  entry: PublishEntry;
}

export interface ShareLimits {
  tcp: number;
  http: number;
}

export const DEFAULT_LIMITS: ShareLimits = { tcp: 5, http: 10 };

export const tcpBased = (type: string) => type === "tcp" || type === "tls" || type === "ssh";

export function socketName(entry: PublishEntry, node: string): string {
  return `clab-${entry.type}-${entry.port}-${node}`;
}

/** One socket per publish entry of every node, checked against the account's limits. */
export function sharePlan(lab: LabModel, limits: ShareLimits = DEFAULT_LIMITS): ShareEntry[] {
  const entries = lab.nodes.flatMap((n) =>
    n.publish.map((entry) => ({ name: socketName(entry, n.name), node: n.name, container: n.longName, entry })),
  );
  const tcp = entries.filter((e) => tcpBased(e.entry.type)).length;
  const http = entries.length - tcp;
  if (tcp > limits.tcp) {
    throw new LabError(
      "input",
      `${lab.name} publishes ${tcp} tcp-based ports (tcp, tls); the account allows ${limits.tcp}`,
      {
        hint: "Publish fewer, share SSH of a jump host, or raise it with --max-tcp for a bigger plan",
      },
    );
  }
  if (http > limits.http) {
    throw new LabError(
      "input",
      `${lab.name} publishes ${http} http-based ports (http, https); the account allows ${limits.http}`,
      {
        hint: "Publish fewer, or raise it with --max-http for a bigger plan",
      },
    );
  }
  return entries;
}

/** How to reach a published port, as the seed shows it. */
export function addressHint(type: string, dns: string, ports: number[], port: number): string {
  if (type === "http") return `http://${dns}${ports[0] && ports[0] !== 80 ? `:${ports[0]}` : ""}/`;
  if (type === "https")
    return `https://${dns}${ports[0] && ports[0] !== 443 && ports[0] !== 80 ? `:${ports[0]}` : ""}/`;
  if (port === 22) return `ssh user@${dns} -p ${ports[0]}`;
  return `${dns}:${ports[0]}`;
}
