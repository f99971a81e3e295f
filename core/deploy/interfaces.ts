import { inNetns, linkNetns, listInterfaces, NETNS_DIR, type NetInterface } from "../../runtime/net/ip.ts";
import type { Platform } from "../../runtime/platform/index.ts";
import type { HostSet } from "../hosts/hosts.ts";
import { impairmentOf, impairmentSummary, type TcQdisc } from "../tools/netem.ts";
import type { LabContainer } from "./inspect.ts";
import { mapLimit } from "./pool.ts";

export interface NodeInterfaces {
  lab: string;
  node: string;
  container: string;
  interfaces: (NetInterface & { impairment: string })[];
}

/** Impairments in force (lab tools netem) by interface, as one-line summaries. */
async function impairments(platform: Platform, netns: string): Promise<Map<string, string>> {
  const r = await platform.run(inNetns(netns, "tc", "-j", "qdisc", "show"));
  if (r.code !== 0) return new Map();
  const qdiscs = JSON.parse(new TextDecoder().decode(r.stdout) || "[]") as TcQdisc[];
  return new Map(
    qdiscs
      .filter((q) => q.kind === "netem" && q.root && q.dev)
      .map((q) => [q.dev as string, impairmentSummary(impairmentOf(q, q.dev as string))]),
  );
}

/**
 * Every running node's interfaces, read in its network namespace: what the links look like from
 * inside (state, MTU, MAC). The netns name lab made at deploy is renewed when it has gone (a reboot
 * clears /run/netns).
 */
export async function labInterfaces(containers: LabContainer[], hosts: HostSet): Promise<NodeInterfaces[]> {
  const running = containers.filter((c) => c.state === "running");
  return mapLimit(running, 8, async (c) => {
    const { docker, platform } = hosts.get(c.host);
    if (!(await platform.exists(`${NETNS_DIR}/${c.name}`))) {
      const pid = (await docker.containers.inspect(c.id)).State.Pid;
      if (pid) await linkNetns(platform, pid, c.name);
    }
    const [list, netem] = await Promise.all([listInterfaces(platform, c.name), impairments(platform, c.name)]);
    return {
      lab: c.lab,
      node: c.node,
      container: c.name,
      interfaces: list.map((i) => ({ ...i, impairment: netem.get(i.name) ?? "" })),
    };
  });
}
