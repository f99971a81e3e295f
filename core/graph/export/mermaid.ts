import { LabError } from "../../errors.ts";
import type { Graph } from "../model.ts";

// A mermaid flowchart, as Containerlab's (title front matter, `graph <direction>`), with node
// labels, groups as subgraphs and the interfaces on each edge.

export const MERMAID_DIRECTIONS = ["TB", "TD", "BT", "RL", "LR"] as const;

const id = (s: string) => `n_${s.replace(/[^A-Za-z0-9_]/g, (c) => `_${c.charCodeAt(0).toString(16)}_`)}`;
// Mermaid labels are quoted strings: a double quote is written as an entity.
const text = (s: string) => `"${s.replaceAll('"', "#quot;")}"`;

export function toMermaid(g: Graph, direction = "TD"): string {
  if (!(MERMAID_DIRECTIONS as readonly string[]).includes(direction))
    throw new LabError("usage", `--mermaid-direction ${direction} is not one of ${MERMAID_DIRECTIONS.join(", ")}`);
  const lines = ["---", `title: ${g.lab}`, "---", `graph ${direction}`];
  const node = (n: Graph["nodes"][number]) => `${id(n.id)}[${text(`${n.name} (${n.kind})`)}]`;
  for (const [i, group] of g.groups.entries()) {
    lines.push(`  subgraph g${i}[${text(group)}]`);
    for (const n of g.nodes.filter((x) => x.group === group)) lines.push(`    ${node(n)}`);
    lines.push("  end");
  }
  for (const n of g.nodes.filter((x) => !x.group)) lines.push(`  ${node(n)}`);
  for (const l of g.links) lines.push(`  ${id(l.a.node)} ---|${text(`${l.a.iface} — ${l.b.iface}`)}| ${id(l.b.node)}`);
  return `${lines.join("\n")}\n`;
}
