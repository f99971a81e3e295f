import { LabError } from "../errors.ts";
import { closest } from "../topology/closest.ts";
import type { DeployPlan, LinkStep } from "./plan.ts";

/**
 * Narrows a plan to some nodes (`--node-filter`), for deploying part of a lab or re-creating nodes
 * of a running one: their containers, their images, and the links whose other ends are deployed
 * too (in the filter, or already running). Links to nodes that are neither are left out with a
 * note; dependencies on nodes outside the filter count as met when those are running.
 */
export function filterPlan(plan: DeployPlan, nodes: string[], running: ReadonlySet<string>): DeployPlan {
  const all = new Set(plan.containers.map((c) => c.node));
  const unknown = nodes.filter((n) => !all.has(n));
  if (unknown.length) {
    const near = closest(unknown[0] as string, all);
    throw new LabError("usage", `--node-filter names no node of lab ${plan.lab.name}: ${unknown.join(", ")}`, {
      hint: near ? `did you mean "${near}"?` : `nodes: ${[...all].sort().join(", ")}`,
    });
  }
  const chosen = new Set(nodes);
  const notes = [...plan.notes];
  const containers = plan.containers
    .filter((c) => chosen.has(c.node))
    .map((c) => {
      const missing = c.dependsOn.filter((d) => !chosen.has(d) && !running.has(d));
      if (missing.length) notes.push(`node ${c.node}: not waiting for ${missing.join(", ")} (not deployed)`);
      return { ...c, dependsOn: c.dependsOn.filter((d) => chosen.has(d)) };
    });
  const nodesOf = (l: LinkStep) =>
    [l.a, l.b].flatMap((p) => (p?.where === "container" && all.has(p.node) ? [p.node] : []));
  const links = plan.links.filter((l) => {
    const ends = nodesOf(l);
    if (!ends.some((n) => chosen.has(n))) return false;
    const absent = ends.filter((n) => !chosen.has(n) && !running.has(n));
    if (absent.length) notes.push(`link ${l.label} left out: ${absent.join(", ")} is not deployed`);
    return !absent.length;
  });
  const images = plan.images
    .map((i) => ({ ...i, nodes: i.nodes.filter((n) => chosen.has(n)) }))
    .filter((i) => i.nodes.length);
  return {
    ...plan,
    containers,
    images,
    links,
    waves: plan.waves.map((w) => w.filter((n) => chosen.has(n))).filter((w) => w.length),
    notes,
    partial: true,
  };
}
