import { inNetns } from "../../runtime/net/ip.ts";
import type { Platform } from "../../runtime/platform/index.ts";
import { listOnHosts } from "../deploy/inspect.ts";
import { mapLimit } from "../deploy/pool.ts";
import type { HostSet } from "../hosts/hosts.ts";
import { alive, readState } from "../share/state.ts";
import { impairmentOf, impairmentSummary, type TcQdisc } from "../tools/netem.ts";
import type { LiveInfo } from "./model.ts";

// What runs now, for the picture: containers (state, addresses, ports) from the engine, link
// impairments from each running node's qdiscs, lab share's sockets from its status file.

async function impairmentsOf(platform: Platform, netns: string): Promise<Map<string, string>> {
  const r = await platform.run(inNetns(netns, "tc", "-j", "qdisc", "show"));
  if (r.code !== 0) return new Map();
  try {
    const qdiscs = JSON.parse(new TextDecoder().decode(r.stdout) || "[]") as TcQdisc[];
    return new Map(
      qdiscs
        .filter((q) => q.kind === "netem" && q.root && q.dev)
        .map((q) => [q.dev as string, impairmentSummary(impairmentOf(q, q.dev as string))]),
    );
  } catch {
    return new Map();
  }
}

export async function liveInfo(
  deps: { hosts: HostSet },
  lab: { name: string; labDir: string },
  options: { impairments?: boolean } = {},
): Promise<LiveInfo> {
  const containers = await listOnHosts(deps.hosts, lab.name);
  const info: LiveInfo = { containers: new Map(), impairments: new Map(), published: new Map() };
  for (const c of containers)
    info.containers.set(c.node, {
      container: c.name,
      state: c.state,
      image: c.image,
      ipv4: c.ipv4,
      ipv6: c.ipv6,
      ports: c.ports.map((p) => ({
        hostIp: p.hostIp,
        hostPort: p.hostPort,
        port: p.containerPort,
        protocol: p.protocol,
      })),
    });
  if (options.impairments !== false) {
    const running = containers.filter((c) => c.state === "running");
    await mapLimit(running, 8, async (c) => {
      const found = await impairmentsOf(deps.hosts.get(c.host).platform, c.name);
      if (found.size) info.impairments.set(c.node, found);
    });
  }
  const labDir = containers.find((c) => c.labDir)?.labDir ?? lab.labDir;
  const share = readState(labDir);
  if (share && alive(share.pid) && !share.stoppedAt)
    for (const s of share.sockets) {
      const list = info.published.get(s.node) ?? [];
      list.push({ port: `${s.type}/${s.ports.join(",")}`, url: s.dnsname });
      info.published.set(s.node, list);
    }
  return info;
}
