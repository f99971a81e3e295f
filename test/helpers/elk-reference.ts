// The yardstick for lab's layout: ELK's layered algorithm (elkjs, Eclipse's own code compiled to
// JavaScript) given the same rows, so the crossings of the two drawings compare like for like.
import ELK from "elkjs/lib/elk.bundled.js";

export async function elkCentres(
  nodes: { id: string; width: number; height: number }[],
  edges: { a: string; b: string }[],
  rowOf: Map<string, number>,
): Promise<Map<string, { x: number; y: number }>> {
  const elk = new ELK();
  const out = (await elk.layout({
    id: "root",
    layoutOptions: {
      "elk.algorithm": "layered",
      "elk.direction": "DOWN",
      "elk.partitioning.activate": "true",
      "elk.edgeRouting": "POLYLINE",
    },
    children: nodes.map((n) => ({
      id: n.id,
      width: n.width,
      height: n.height,
      layoutOptions: { "elk.partitioning.partition": String(rowOf.get(n.id) ?? 0) },
    })),
    edges: edges
      .filter((e) => e.a !== e.b && rowOf.get(e.a) !== rowOf.get(e.b))
      .map((e, i) => ({ id: `e${i}`, sources: [e.a], targets: [e.b] })),
  })) as { children?: { id: string; x?: number; y?: number; width?: number; height?: number }[] };
  return new Map(
    (out.children ?? []).map((c) => [
      c.id,
      { x: (c.x ?? 0) + (c.width ?? 0) / 2, y: (c.y ?? 0) + (c.height ?? 0) / 2 },
    ]),
  );
}
