import type { Graph } from "../model.ts";

// Graphviz: nodes by group in clusters, each edge labelled with its two interfaces. `dot -Tsvg`
// lays it out. Identifiers and labels are quoted, so any node name is safe.

const q = (s: string) => `"${s.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n")}"`;

const fill: Record<string, string> = { running: "#c8e6c9", exited: "#ffcdd2", "not deployed": "#eeeeee" };

export function toDot(g: Graph): string {
  const lines = [
    `graph ${q(g.lab)} {`,
    "  graph [overlap=false, splines=true];",
    '  node [shape=box, style="rounded,filled", fontname="sans-serif"];',
    '  edge [fontname="sans-serif", fontsize=9];',
  ];
  const nodeLine = (n: Graph["nodes"][number], indent: string) =>
    `${indent}${q(n.id)} [label=${q(`${n.name}\n${n.kind}${n.state ? `\n${n.state}` : ""}`)}, fillcolor=${q(n.pseudo ? "#ffffff" : (fill[n.state] ?? "#fff3c4"))}${n.pseudo ? ', shape=ellipse, style="dashed"' : ""}];`;
  for (const [i, group] of g.groups.entries()) {
    lines.push(`  subgraph ${q(`cluster_${i}`)} {`, `    label=${q(group)};`);
    for (const n of g.nodes.filter((x) => x.group === group)) lines.push(nodeLine(n, "    "));
    lines.push("  }");
  }
  for (const n of g.nodes.filter((x) => !x.group)) lines.push(nodeLine(n, "  "));
  for (const l of g.links) {
    const impaired = [l.a.impairment, l.b.impairment].some(Boolean);
    lines.push(
      `  ${q(l.a.node)} -- ${q(l.b.node)} [taillabel=${q(l.a.iface)}, headlabel=${q(l.b.iface)}${impaired ? `, color="red", label=${q([l.a.impairment, l.b.impairment].filter(Boolean).join(" / "))}` : ""}];`,
    );
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}
