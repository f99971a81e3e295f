import { interfaceExists, interfacesOfPid, isBridge, linkNetns, unlinkNetns } from "../../runtime/net/ip.ts";
import { runLinkBatches } from "../deploy/link-run.ts";
import { linkBatches } from "../deploy/links.ts";
import { type LinkStep, labOwner, macFor, type Placement } from "../deploy/plan.ts";
import type { Reporter } from "../deploy/reporter.ts";
import { disableTxOffload } from "../deploy/tx-offload.ts";
import { LabError } from "../errors.ts";
import { DEFAULT_MTU } from "../topology/model.ts";
import { requireName } from "../topology/names.ts";
import { type NodeTarget, resolveTarget, type ToolDeps } from "./target.ts";

// lab tools veth create: a veth between two running nodes, a node and the host, or a node and a
// host bridge, made as lab makes a topology's links (TX offload off, Containerlab's MACs). A node's
// end goes with its container; a host end is marked as the node's, so lab down removes it too. In a
// lab over several hosts, the veth is made on the host its node runs on (both nodes on one host).

export type VethEnd =
  | { kind: "node"; node: string; iface: string }
  | { kind: "host"; iface: string }
  | { kind: "bridge"; bridge: string; iface: string };

/** Containerlab's endpoint forms: NODE:IF, host:IF, bridge:BRIDGE:IF (ovs-bridge too). */
export function parseVethEnd(text: string, flag: string): VethEnd {
  const parts = text.trim().split(":");
  const iface = (name: string) => requireName("interface", name, `${flag} interface`);
  if (parts.length === 2 && parts[0] && parts[1])
    return parts[0] === "host"
      ? { kind: "host", iface: iface(parts[1]) }
      : { kind: "node", node: requireName("node", parts[0], `${flag} node`), iface: iface(parts[1]) };
  if (parts.length === 3 && (parts[0] === "bridge" || parts[0] === "ovs-bridge") && parts[1] && parts[2])
    return { kind: "bridge", bridge: requireName("bridge", parts[1], `${flag} bridge`), iface: iface(parts[2]) };
  throw new LabError("usage", `${flag} ${text} is not an endpoint`, {
    hint: "Write NODE:IF, host:IF or bridge:BRIDGE:IF (NODE: a container name, or a node name with -t/--name)",
  });
}

export interface VethDeps extends ToolDeps {
  reporter: Reporter;
}

export async function createVeth(
  deps: VethDeps,
  ends: [VethEnd, VethEnd],
  options: { lab?: string; mtu?: number },
): Promise<{ label: string; step: LinkStep }> {
  const mtu = options.mtu ?? DEFAULT_MTU;
  if (!Number.isInteger(mtu) || mtu < 68 || mtu > 65535)
    throw new LabError("usage", `--mtu ${options.mtu} is not an MTU (68–65535)`);
  if (ends.every((e) => e.kind !== "node"))
    throw new LabError("usage", "a veth needs a node on at least one end", {
      hint: "e.g. -a clab-lab1-r1:eth9 -b host:r1-eth9",
    });
  const targets = new Map<VethEnd, NodeTarget>();
  for (const e of ends) if (e.kind === "node") targets.set(e, await resolveTarget(deps.hosts, e.node, options.lab));
  const owner = [...targets.values()][0] as NodeTarget;
  const other = [...targets.values()].find((t) => t.host !== owner.host);
  if (other)
    throw new LabError(
      "usage",
      `a veth joins two nodes on one host: ${owner.node} runs on ${owner.host.name}, ${other.node} on ${other.host.name}`,
      {
        hint: "Link nodes of different hosts in the topology: lab up makes those links VXLAN tunnels",
      },
    );
  const { platform } = owner.host;
  const spell = (e: VethEnd) =>
    e.kind === "node"
      ? `${(targets.get(e) as NodeTarget).node}:${e.iface}`
      : e.kind === "host"
        ? `host:${e.iface}`
        : `${e.bridge}:${e.iface}`;
  const label = `${spell(ends[0])} ↔ ${spell(ends[1])}`;

  const placements: Placement[] = [];
  for (const e of ends) {
    if (e.kind === "node") {
      const t = targets.get(e) as NodeTarget;
      if ((await interfacesOfPid(platform, t.pid)).includes(e.iface))
        throw new LabError("conflict", `node ${t.node} already has an interface ${e.iface}`, {
          hint: "Pick another name",
        });
      placements.push({
        where: "container",
        node: t.node,
        container: t.container,
        iface: e.iface,
        mac: macFor(t.lab, t.node, e.iface),
      });
    } else {
      if (await interfaceExists(platform, e.iface))
        throw new LabError("conflict", `host interface ${e.iface} already exists`, {
          hint: `Pick another name, or ip link del ${e.iface}`,
        });
      if (e.kind === "bridge" && !(await isBridge(platform, e.bridge)))
        throw new LabError("not-found", `host bridge ${e.bridge} does not exist`, {
          hint: `Create it: ip link add ${e.bridge} type bridge`,
        });
      placements.push({
        where: "host",
        iface: e.iface,
        ...(e.kind === "bridge" ? { master: e.bridge } : {}),
        ...(owner.lab ? { alias: labOwner(owner.lab, owner.node) } : {}),
      });
    }
  }
  const step: LinkStep = { type: "veth", a: placements[0] as Placement, b: placements[1] as Placement, mtu, label };

  // The link batches address namespaces by name: a node lab did not deploy gets one for the while.
  const made: string[] = [];
  const netns = new Map<string, string>();
  const pids = new Map<string, number>();
  for (const t of targets.values()) {
    pids.set(t.container, t.pid);
    netns.set(t.container, t.container);
    if (!t.lab) made.push(t.container);
    await linkNetns(platform, t.pid, t.container);
  }
  try {
    await runLinkBatches(platform, linkBatches([step], { pids, netns, mgmtBridge: "", dummy: true }), 2);
    await disableTxOffload(platform, [step], pids, deps.reporter);
  } finally {
    for (const name of made) await unlinkNetns(platform, name);
  }
  return { label, step };
}
