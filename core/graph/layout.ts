import { type LabelEnd, placeLabels } from "./layered/labels.ts";
import { layered } from "./layered/layered.ts";
import type { Graph } from "./model.ts";

// Where the page and the exports put things: a layered drawing (core/graph/layered), top to
// bottom, graph-level labels as rows and groups kept together; nodes pinned by graph-posX/Y keep
// their place; then each link end's interface name, placed clear of nodes and of one another.

export type Positions = Map<string, { x: number; y: number; width: number; height: number }>;

export const NODE_SIZE = { width: 120, height: 56 };

/** Centres that win over the layout and the graph-pos labels: where the editor's page has its nodes. */
export type Pins = Map<string, { x: number; y: number }>;

/** Top-left corners and sizes (draw.io's geometry). */
export function layoutGraph(g: Graph, pins?: Pins): Positions {
  const placed = (n: Graph["nodes"][number]) => pins?.has(n.id) || n.position !== undefined;
  // Every node already has its place (the editor's page pins them all): nothing to lay out.
  const free = g.nodes.every(placed)
    ? undefined
    : layered(
        g.nodes.map((n) => ({
          id: n.id,
          name: n.name,
          ...NODE_SIZE,
          ...(n.group ? { group: n.group } : {}),
          ...(n.level !== undefined ? { level: n.level } : {}),
        })),
        g.links.map((l) => ({ a: l.a.node, b: l.b.node })),
      );
  const positions: Positions = new Map();
  for (const n of g.nodes) {
    // graph-posX/Y are centres, as in TopoViewer.
    const c = pins?.get(n.id) ?? n.position ?? free?.centres.get(n.id) ?? { x: 0, y: 0 };
    positions.set(n.id, { x: c.x - NODE_SIZE.width / 2, y: c.y - NODE_SIZE.height / 2, ...NODE_SIZE });
  }
  return positions;
}

/** The graph with node centres and interface-name places filled in, for the page and the JSON export. */
export function withPositions(g: Graph, pins?: Pins): Graph {
  const p = layoutGraph(g, pins);
  const centres = new Map(
    [...p].map(([id, b]) => [id, { x: b.x + b.width / 2, y: b.y + b.height / 2, width: b.width, height: b.height }]),
  );
  const ends: LabelEnd[] = g.links.flatMap((l) => [
    { key: `${l.id}|a`, node: l.a.node, other: l.b.node, text: l.a.iface },
    { key: `${l.id}|b`, node: l.b.node, other: l.a.node, text: l.b.iface },
  ]);
  const labels = placeLabels(centres, ends);
  const label = (key: string) => {
    const at = labels.get(key);
    return at ? { label: at } : {};
  };
  return {
    ...g,
    nodes: g.nodes.map((n) => {
      const at = centres.get(n.id);
      return at ? { ...n, position: { x: at.x, y: at.y } } : n;
    }),
    links: g.links.map((l) => ({
      ...l,
      a: { ...l.a, ...label(`${l.id}|a`) },
      b: { ...l.b, ...label(`${l.id}|b`) },
    })),
  };
}
