import type { Positions } from "../layout.ts";
import type { Graph } from "../model.ts";

// A .drawio file (draw.io's mxGraphModel): one vertex cell per node at its laid-out position, one
// edge cell per link with its interfaces as the label. draw.io opens it as is.

const esc = (s: string) =>
  s
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("\n", "&#10;");

const fill: Record<string, string> = { running: "#d5e8d4", exited: "#f8cecc", "not deployed": "#f5f5f5" };

export function toDrawio(g: Graph, positions: Positions): string {
  const cells = ['<mxCell id="0"/>', '<mxCell id="1" parent="0"/>'];
  for (const n of g.nodes) {
    const p = positions.get(n.id) ?? { x: 0, y: 0, width: 120, height: 60 };
    const style = n.pseudo
      ? "ellipse;whiteSpace=wrap;html=1;dashed=1;"
      : `rounded=1;whiteSpace=wrap;html=1;fillColor=${fill[n.state] ?? "#fff2cc"};`;
    cells.push(
      `<mxCell id="${esc(`node-${n.id}`)}" value="${esc(`${n.name}\n${n.kind}`)}" style="${style}" vertex="1" parent="1"><mxGeometry x="${Math.round(p.x)}" y="${Math.round(p.y)}" width="${Math.round(p.width)}" height="${Math.round(p.height)}" as="geometry"/></mxCell>`,
    );
  }
  for (const l of g.links)
    cells.push(
      `<mxCell id="${esc(l.id)}" value="${esc(`${l.a.iface} — ${l.b.iface}`)}" style="endArrow=none;html=1;" edge="1" parent="1" source="${esc(`node-${l.a.node}`)}" target="${esc(`node-${l.b.node}`)}"><mxGeometry relative="1" as="geometry"/></mxCell>`,
    );
  return `<?xml version="1.0" encoding="UTF-8"?>
<mxfile host="lab" type="device">
  <diagram id="${esc(g.lab)}" name="${esc(g.lab)}">
    <mxGraphModel grid="1" gridSize="10" guides="1" page="0">
      <root>
        ${cells.join("\n        ")}
      </root>
    </mxGraphModel>
  </diagram>
</mxfile>
`;
}
