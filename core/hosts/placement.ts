import { createHash } from "node:crypto";
import { LabError } from "../errors.ts";
import { formatDiagnostic } from "../topology/diagnostics.ts";
import type { LabModel, LinkModel } from "../topology/index.ts";
import { type HostDef, LOCAL } from "./definitions.ts";

/** One side of the underlay between two hosts: the address the other side sends to, and its device. */
export interface UnderlaySide {
  address: string;
  dev: string;
  mtu: number;
}

/** The underlay between two hosts, as both see it. */
export interface HostPair {
  sides: Record<string, UnderlaySide>;
  /** The smaller of the two devices' MTUs. */
  mtu: number;
  ipv6: boolean;
}

/**
 * Where a lab's nodes run and how its hosts reach each other: what the planner needs to split the
 * lab per host and turn every link between hosts into a VXLAN tunnel. Worked out (with SSH and
 * route lookups) before planning, so that planning itself stays pure.
 */
export interface HostPlacement {
  /** Node → host, for nodes that are not on this machine. */
  nodeHost: Map<string, string>;
  /** Every host with nodes, "local" first. */
  hosts: string[];
  /** By pairKey(a, b). */
  pairs: Map<string, HostPair>;
  /** The UDP port of this lab's tunnels (free on all its hosts). */
  vxlanPort: number;
}

export const pairKey = (a: string, b: string) => [a, b].sort().join("|");

/** The host of each node from its lab.host label; a label naming no defined host is an error at its line. */
export function placeNodes(lab: LabModel, defs: Map<string, HostDef>): Map<string, string> {
  const out = new Map<string, string>();
  const problems: string[] = [];
  for (const node of lab.nodes) {
    if (!node.host || node.host.name === LOCAL) continue;
    if (!defs.has(node.host.name)) {
      problems.push(
        formatDiagnostic({
          ...node.host.at,
          message: `node ${node.name} is placed on host ${node.host.name}, which is not defined`,
          hint: defs.size
            ? `defined: ${[...defs.keys()].join(", ")}`
            : `define it: --host ${node.host.name}=ssh://user@address, or in lab-hosts.yml beside the topology`,
        }),
      );
      continue;
    }
    out.set(node.name, node.host.name);
  }
  if (problems.length) throw new LabError("input", problems.join("\n"));
  return out;
}

/** The two ends' nodes of a link that has two (veth and veth-stitch). */
function ends(l: LinkModel): [string, string] | undefined {
  return l.type === "veth" || l.type === "veth-stitch" ? [l.a.node, l.b.node] : undefined;
}

/** Host pairs that links cross. */
export function crossingPairs(lab: LabModel, nodeHost: Map<string, string>): [string, string][] {
  const seen = new Map<string, [string, string]>();
  for (const l of lab.links) {
    const e = ends(l);
    if (!e) continue;
    const [x, y] = e.map((n) => nodeHost.get(n) ?? LOCAL) as [string, string];
    if (x !== y) seen.set(pairKey(x, y), [x, y]);
  }
  return [...seen.values()];
}

/** A stable starting point for the lab's tunnel port: labs seldom meet on the same one. */
export function portCandidate(lab: string): number {
  const h = createHash("sha1").update(lab).digest().readUInt32BE(0);
  return 20000 + (h % 30000);
}

/** A VNI per cross-host link, stable across deploys (from the link's ends) and unique in the lab. */
export function vniFor(label: string, taken: Set<number>): number {
  let vni = 1 + (createHash("sha1").update(label).digest().readUInt32BE(0) % 16_000_000);
  while (taken.has(vni)) vni = (vni % 16_000_000) + 1;
  taken.add(vni);
  return vni;
}

/** Headroom a VXLAN packet needs over its payload: outer IP, UDP, VXLAN and inner Ethernet. */
export const vxlanOverhead = (ipv6: boolean) => (ipv6 ? 70 : 50);
