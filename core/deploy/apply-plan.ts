import type { DeployPlan, LinkStep, Placement } from "./plan.ts";
import { changedFields, fingerprint, type LabState, linkKey, sameLink } from "./state.ts";

// `lab up` on a running lab: what must change for the lab to match its topology, worked out
// without touching anything (the executor is apply.ts). The running containers say which nodes
// exist; the state the last deploy recorded says what they were made from; the namespaces say
// which link ends are there.

export interface ApplyChange {
  action: "create" | "recreate" | "delete";
  what: "node" | "link";
  name: string;
  reason: string;
}

export interface ApplyDiff {
  changes: ApplyChange[];
  createNodes: string[];
  recreateNodes: string[];
  deleteNodes: string[];
  /** Links to make (new, changed, or with an end missing). */
  createLinks: LinkStep[];
  /** Link ends to delete first: links gone from the topology, changed ones, halves of broken ones. */
  deleteEnds: Placement[];
  notes: string[];
}

/** What runs now. */
export interface LiveLab {
  /** Nodes with a container, and whether it runs. */
  nodes: Map<string, { container: string; running: boolean }>;
  /** Whether a link end exists (in its node's namespace, parked, or on the host). */
  present(p: Placement): boolean;
}

const containerEnds = (l: LinkStep) =>
  [l.a, l.b].filter((p): p is Extract<Placement, { where: "container" }> => p?.where === "container");

export function diffLab(plan: DeployPlan, live: LiveLab, state: LabState | undefined): ApplyDiff {
  const diff: ApplyDiff = {
    changes: [],
    createNodes: [],
    recreateNodes: [],
    deleteNodes: [],
    createLinks: [],
    deleteEnds: [],
    notes: [],
  };
  const desired = new Map(plan.containers.map((c) => [c.node, c]));
  if (!state && live.nodes.size)
    diff.notes.push("no record of the last deploy in the lab dir: running nodes are kept as they are");

  for (const [name, step] of desired) {
    if (!live.nodes.has(name)) {
      diff.createNodes.push(name);
      diff.changes.push({ action: "create", what: "node", name, reason: "new in the topology" });
      continue;
    }
    const fields = changedFields(state?.nodes[name]?.fingerprint, fingerprint(step));
    if (fields.length) {
      diff.recreateNodes.push(name);
      diff.changes.push({ action: "recreate", what: "node", name, reason: driftReason(fields) });
    }
  }
  for (const name of [...live.nodes.keys()].sort()) {
    if (desired.has(name)) continue;
    diff.deleteNodes.push(name);
    diff.changes.push({ action: "delete", what: "node", name, reason: "gone from the topology" });
  }

  const gone = new Set(diff.deleteNodes);
  const fresh = new Set(diff.createNodes);
  const previous = state?.links ?? {};
  const wanted = new Set<string>();
  for (const step of plan.links) {
    const key = linkKey(step);
    wanted.add(key);
    const before = previous[key];
    const ends = [step.a, step.b].filter((p): p is Placement => !!p);
    const onNewNode = containerEnds(step).find((p) => fresh.has(p.node));
    let reason: string | undefined;
    if (before && !sameLink(before, step)) {
      reason = "changed";
      diff.deleteEnds.push(...devicesOf(before).filter((p) => live.present(p)));
    } else if ((state && !before) || !ends.every((p) => live.present(p))) {
      // Ends can exist and not be this link's (an interface now paired with another peer): a link
      // the last deploy did not make is made, whatever is there. A new node's ends are absent,
      // unless they wait parked from an apply that stopped: those go back as it starts.
      reason = onNewNode ? `node ${onNewNode.node} is new` : before ? "an end is missing" : "new in the topology";
      diff.deleteEnds.push(...devicesOf(step).filter((p) => live.present(p)));
    }
    if (!reason) continue;
    diff.createLinks.push(step);
    diff.changes.push({ action: "create", what: "link", name: step.label, reason });
  }
  for (const [key, before] of Object.entries(previous)) {
    if (wanted.has(key)) continue;
    const removedNode = containerEnds(before).find((p) => gone.has(p.node));
    const ends = devicesOf(before).filter((p) => live.present(p));
    // A link of a deleted node goes with its container; only its host-side end needs deleting.
    if (removedNode) diff.deleteEnds.push(...ends.filter((p) => p.where === "host"));
    else diff.deleteEnds.push(...ends);
    if (removedNode || ends.length)
      diff.changes.push({
        action: "delete",
        what: "link",
        name: before.label,
        reason: removedNode ? `node ${removedNode.node} is gone` : "gone from the topology",
      });
  }
  diff.deleteEnds = uniqueEnds(diff.deleteEnds);
  return diff;
}

// A node's changed fields under the names Containerlab's ComputeDiff gives them (its NodeConfig
// fields, in its order); what lab compares beyond those keeps lab's words, after them.
const CLAB_FIELDS: [string, string][] = [
  ["kind", "Kind"],
  ["image", "Image"],
  ["hostname", "Hostname"],
  ["entrypoint", "Entrypoint"],
  ["cmd", "Cmd"],
  ["exec", "Exec"],
  ["env", "Env"],
  ["binds", "Binds"],
  ["devices", "Devices"],
  ["capabilities", "CapAdd"],
  ["privileged", "Privileged"],
  ["ports", "Ports"],
  ["user", "User"],
  ["components", "Components"],
];

/** Containerlab's reason for re-creating a node: "config drift: Exec, Env". */
export function driftReason(fields: string[]): string {
  const known = new Map(CLAB_FIELDS);
  const named = CLAB_FIELDS.filter(([k]) => fields.includes(k)).map(([, v]) => v);
  const rest = fields.filter((f) => !known.has(f));
  return `config drift: ${[...named, ...rest].join(", ")}`;
}

/**
 * A link as Containerlab's apply names it (applyLinkName): its ends as node:interface, sorted,
 * joined by " -- " (a host link's host side is host:<interface>).
 */
export function applyLinkName(step: LinkStep): string {
  const ends = step.label.replace(/ \(.*\)$/, "").split(/\s+(?:↔|→)\s+/);
  return ends.sort().join(" -- ");
}

/** Every device a link is made of: its ends, and the host tunnel of a vxlan-stitch. */
function devicesOf(step: LinkStep): Placement[] {
  const ends = [step.a, step.b].filter((p): p is Placement => !!p);
  if (step.type === "vxlan-stitch" && step.vxlan) ends.push({ where: "host", iface: step.vxlan.name });
  return ends;
}

const endKey = (p: Placement) => (p.where === "container" ? `${p.container}\0${p.iface}` : `\0${p.iface}`);

function uniqueEnds(ends: Placement[]): Placement[] {
  return [...new Map(ends.map((p) => [endKey(p), p])).values()];
}

/** The plan narrowed to what the diff creates: its nodes' containers and the links to make. */
export function applyPlan(plan: DeployPlan, diff: ApplyDiff): DeployPlan {
  const nodes = new Set([...diff.createNodes, ...diff.recreateNodes]);
  return {
    ...plan,
    containers: plan.containers
      .filter((c) => nodes.has(c.node))
      .map((c) => ({ ...c, dependsOn: c.dependsOn.filter((d) => nodes.has(d)) })),
    images: plan.images
      .map((i) => ({ ...i, nodes: i.nodes.filter((n) => nodes.has(n)) }))
      .filter((i) => i.nodes.length),
    links: diff.createLinks,
    waves: plan.waves.map((w) => w.filter((n) => nodes.has(n))).filter((w) => w.length),
    partial: true,
  };
}
