import type { LabModel } from "../topology/index.ts";
import { type ConnectOptions, connectHosts } from "./connect.ts";
import { type HostDef, LOCAL, loadHostDefs } from "./definitions.ts";
import type { Host, HostSet } from "./hosts.ts";
import { crossingPairs, type HostPlacement, placeNodes } from "./placement.ts";
import { allRecalled, recalledHosts } from "./registry.ts";
import { pickVxlanPort, resolvePairs } from "./underlay.ts";

export interface HostsInput {
  /** The lab's topology: its nodes' lab.host labels, and lab-hosts.yml beside it. */
  lab?: LabModel;
  /** A lab by name (no topology): the hosts remembered for it. */
  name?: string;
  /** Every lab: all remembered hosts. */
  all?: boolean;
  /** --host NAME=URL values. */
  flags: string[];
}

/**
 * The hosts a command works on: this machine, the hosts the lab's nodes are placed on, and those
 * remembered for the lab (a node moved off a host still has a container there to remove).
 */
export async function hostsFor(
  local: Host,
  input: HostsInput,
  opts: ConnectOptions,
): Promise<{ hosts: HostSet; nodeHost: Map<string, string> }> {
  const env = (k: string) => opts.env[k];
  const defs = loadHostDefs(input.lab?.file, input.flags);
  const labName = input.lab?.name ?? input.name;
  const remembered = input.all
    ? (await allRecalled(env)).flatMap((r) => r.hosts.map((h) => ({ ...h, from: `lab ${r.lab}'s hosts` })))
    : labName
      ? await recalledHosts(env, labName)
      : [];
  // Hosts remembered for the lab stand in for definitions the command was not given again.
  for (const d of remembered) if (!defs.has(d.name)) defs.set(d.name, d);
  const nodeHost = input.lab ? placeNodes(input.lab, defs) : new Map<string, string>();
  const wanted = new Map<string, HostDef>();
  for (const name of nodeHost.values()) wanted.set(name, defs.get(name) as HostDef);
  for (const d of remembered) wanted.set(d.name, defs.get(d.name) as HostDef);
  const hosts = await connectHosts([...wanted.values()], local, opts);
  return { hosts, nodeHost };
}

/**
 * Where a lab's nodes run and how its hosts reach each other, for the planner; undefined when every
 * node is on this machine (the one-host plan). The tunnels' port stays the one a running lab uses.
 */
export async function placementFor(
  lab: LabModel,
  hosts: HostSet,
  nodeHost: Map<string, string>,
  currentPort?: number,
): Promise<HostPlacement | undefined> {
  if (!nodeHost.size) return undefined;
  const remote = [...new Set(nodeHost.values())].sort();
  const names = [...(lab.nodes.some((n) => !nodeHost.has(n.name)) ? [LOCAL] : []), ...remote];
  const crossing = crossingPairs(lab, nodeHost);
  const pairs = await resolvePairs(crossing, hosts);
  const involved = [...new Set(crossing.flat())].map((n) => hosts.get(n));
  const vxlanPort = crossing.length ? await pickVxlanPort(lab.name, involved, currentPort) : (currentPort ?? 0);
  return { nodeHost, hosts: names, pairs, vxlanPort };
}
