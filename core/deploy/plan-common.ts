import { createHash } from "node:crypto";
import type { HostPlacement } from "../hosts/placement.ts";
import type { LabModel, NodeModel } from "../topology/model.ts";

// What the container plan (plan.ts) and the link plan (link-plan.ts) both look up.

const CLAB_OUI = "aa:c1:ab";

/** A stable, locally administered MAC for a link end (Containerlab's OUI), so redeploys keep it. */
export function macFor(lab: string, node: string, iface: string): string {
  const h = createHash("sha1").update(`${lab}\0${node}\0${iface}`).digest();
  const b = [...h.subarray(0, 3)].map((x) => x.toString(16).padStart(2, "0"));
  return `${CLAB_OUI}:${b.join(":")}`;
}

/** Nodes by name and the static-address nodes, computed once per lab (plans of 1,000 nodes look them up a lot). */
const indexes = new WeakMap<LabModel, { byName: Map<string, NodeModel>; statics: NodeModel[] }>();
export function labIndex(lab: LabModel) {
  let index = indexes.get(lab);
  if (!index) {
    index = {
      byName: new Map(lab.nodes.map((n) => [n.name, n])),
      statics: lab.nodes.filter((n) => n.mgmtIpv4 || n.mgmtIpv6),
    };
    indexes.set(lab, index);
  }
  return index;
}

/** The host a node runs on, for a step: absent when it is this machine. */
export const hostField = (placement: HostPlacement | undefined, node: string) => {
  const host = placement?.nodeHost.get(node);
  return host ? { host } : {};
};

/** The container whose network namespace holds the node's links: a distributed chassis's first. */
export const netnsContainer = (node: NodeModel) => node.components?.[0]?.longName ?? node.longName;
