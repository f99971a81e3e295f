import { existsSync } from "node:fs";
import { mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import type { LabModel } from "../topology/index.ts";
import type { LabContainer } from "./inspect.ts";

export const HOSTS_FILE = "/etc/hosts";
export const SSH_CONFIG_DIR = "/etc/ssh/ssh_config.d";

const begin = (lab: string) => `###### CLAB-${lab}-START ######`;
const end = (lab: string) => `###### CLAB-${lab}-END ######`;

/** Containerlab's /etc/hosts block: IPv4 lines, then IPv6 lines. */
export function hostsBlock(lab: string, containers: LabContainer[]): string {
  const lines = (ip: (c: LabContainer) => string) =>
    containers
      .filter((c) => ip(c))
      .flatMap((c) => [
        `${ip(c).split("/")[0]}\t${c.name} ${c.id.slice(0, 12)}\t# Kind: ${c.kind}`,
        // A distributed chassis is also reachable by its node's own name, as Containerlab's entry.
        ...(c.rootLongName && !c.joined ? [`${ip(c).split("/")[0]}\t${c.rootLongName}\t# Kind: ${c.kind}`] : []),
      ]);
  return [begin(lab), ...lines((c) => c.ipv4), ...lines((c) => c.ipv6), end(lab)].join("\n");
}

/** Removes a lab's block from hosts-file text (and the blank line it leaves). */
export function withoutHostsBlock(text: string, lab: string): string {
  const lines = text.split("\n");
  const out: string[] = [];
  let inside = false;
  for (const line of lines) {
    if (line === begin(lab)) inside = true;
    else if (line === end(lab)) inside = false;
    else if (!inside) out.push(line);
  }
  return out.join("\n");
}

/**
 * Serialises read-modify-write of the hosts file across lab processes (two `lab up` at once would
 * otherwise drop each other's block): a lock file made with O_EXCL beside it, waited for up to 10 s,
 * and taken over when it is older than 30 s (its holder died).
 */
async function withHostsLock<T>(file: string, work: () => Promise<T>): Promise<T> {
  const lock = `${file}.lab-lock`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await writeFile(lock, String(process.pid), { flag: "wx" });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const age = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > 30_000 || Date.now() > deadline) await rm(lock, { force: true });
      else await new Promise((r) => setTimeout(r, 20 + Math.random() * 30));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lock, { force: true });
  }
}

// The hosts file is often bind-mounted (containers, some VMs), so it is rewritten in place, never renamed.
export function writeHostsBlock(lab: string, containers: LabContainer[], file = HOSTS_FILE): Promise<void> {
  return withHostsLock(file, async () => {
    const current = existsSync(file) ? await readFile(file, "utf8") : "";
    const base = withoutHostsBlock(current, lab).replace(/\n*$/, "\n");
    await writeFile(file, `${base}${hostsBlock(lab, containers)}\n`);
  });
}

export async function removeHostsBlock(lab: string, file = HOSTS_FILE): Promise<void> {
  if (!existsSync(file)) return;
  await withHostsLock(file, async () => {
    const current = await readFile(file, "utf8");
    const next = withoutHostsBlock(current, lab);
    if (next !== current) await writeFile(file, next.replace(/\n*$/, "\n"));
  });
}

/**
 * An entry per node. A node on another host is reached through that host (ProxyJump): its management
 * network is not routed here, and the jump host cannot resolve the node's name, so the address is given.
 */
export function sshConfig(
  lab: string,
  containers: LabContainer[],
  users: Record<string, string | undefined>,
  jumps: Record<string, string> = {},
): string {
  const hosts = containers.map((c) =>
    [
      `Host ${c.name}`,
      ...(c.host && jumps[c.host] && c.ipv4
        ? [`\tHostName ${c.ipv4.split("/")[0]}`, `\tProxyJump ${jumps[c.host]}`]
        : []),
      ...(users[c.node] ? [`\tUser ${users[c.node]}`] : []),
      "\tStrictHostKeyChecking=no",
      "\tUserKnownHostsFile=/dev/null",
    ].join("\n"),
  );
  return `# SSH config for the ${lab} lab, written by lab up and removed by lab down\n\n${hosts.join("\n\n")}\n`;
}

export const sshConfigPath = (lab: string) => `${SSH_CONFIG_DIR}/clab-${lab}.conf`;

export async function writeSshConfig(lab: string, text: string): Promise<boolean> {
  if (!existsSync("/etc/ssh")) return false;
  await mkdir(SSH_CONFIG_DIR, { recursive: true });
  await writeFile(sshConfigPath(lab), text);
  return true;
}

export async function removeSshConfig(lab: string): Promise<void> {
  await rm(sshConfigPath(lab), { force: true });
}

/** One link end as topology-data.json lists it (the Linux interface name, addresses, vars). */
function endJson(
  ep: { node: string; iface: string; mac?: string; ipv4?: string; ipv6?: string; vars?: Record<string, unknown> },
  peer: string,
) {
  return {
    node: ep.node,
    interface: ep.iface,
    mac: ep.mac ?? "",
    ...(ep.ipv4 ? { ipv4: ep.ipv4 } : {}),
    ...(ep.ipv6 ? { ipv6: ep.ipv6 } : {}),
    ...(ep.vars && Object.keys(ep.vars).length ? { vars: ep.vars } : {}),
    peer,
  };
}

/** JSON.stringify for values that may hold Go ints (bigint) from vars. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? Number(v) : v), 2);
}

/** topology-data.json, shaped like Containerlab's default export template (core/export_templates/auto.tmpl). */
export function topologyData(lab: LabModel, containers: LabContainer[]): unknown {
  const byNode = new Map(containers.map((c) => [c.node, c]));
  const nodes: Record<string, unknown> = {};
  lab.nodes.forEach((n) => {
    const c = byNode.get(n.name);
    const [v4, v4len] = (c?.ipv4 ?? "").split("/");
    const [v6, v6len] = (c?.ipv6 ?? "").split("/");
    nodes[n.name] = {
      index: String(n.index),
      shortname: n.name,
      longname: n.longName,
      fqdn: n.fqdn,
      group: n.group ?? "",
      labdir: n.nodeDir,
      kind: n.kindName,
      image: n.image ?? "",
      "mgmt-net": lab.mgmt.network,
      "mgmt-intf": "eth0",
      "mgmt-ipv4-address": v4 ?? "",
      "mgmt-ipv4-prefix-length": Number(v4len ?? 0),
      "mgmt-ipv6-address": v6 ?? "",
      "mgmt-ipv6-prefix-length": Number(v6len ?? 0),
      "mac-address": c?.mac ?? "",
      labels: n.labels,
      "port-bindings": c?.ports ?? [],
    };
  });
  const links = lab.links.map((l) => {
    let endpoints: Record<string, unknown>;
    switch (l.type) {
      case "veth":
      case "veth-stitch":
        endpoints = { a: endJson(l.a, "z"), z: endJson(l.b, "a") };
        break;
      case "dummy":
        endpoints = { a: endJson(l.endpoint, "dummy") };
        break;
      case "vxlan":
      case "vxlan-stitch":
        endpoints = {
          a: endJson(l.endpoint, "z"),
          z: endJson({ node: "host", iface: `vxlan-${l.vni}@${l.remote}` }, "a"),
        };
        break;
      case "macvlan":
        endpoints = { a: endJson(l.endpoint, "z"), z: endJson({ node: "macvlan", iface: l.hostInterface }, "a") };
        break;
      default:
        endpoints = {
          a: endJson(l.endpoint, "z"),
          z: endJson({ node: "host", iface: l.hostInterface, ...l.hostAddresses }, "a"),
        };
    }
    return { endpoints, ...(l.vars && Object.keys(l.vars).length ? { vars: l.vars } : {}) };
  });
  return {
    name: lab.name,
    type: "clab",
    clab: { config: { prefix: "clab", mgmt: lab.mgmt, "config-path": lab.dir } },
    nodes,
    links,
  };
}
