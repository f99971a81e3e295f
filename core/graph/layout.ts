import type { Graph } from "./model.ts";

// Positions from ELK (Eclipse's layout library, elkjs): layered, top to bottom, graph-level hints as
// layer constraints; nodes pinned by graph-posX / graph-posY keep theirs. Loaded only when a view
// or an export with positions needs it.

export type Positions = Map<string, { x: number; y: number; width: number; height: number }>;

export const NODE_SIZE = { width: 120, height: 56 };

interface ElkNode {
  id: string;
  width?: number;
  height?: number;
  x?: number;
  y?: number;
  layoutOptions?: Record<string, string>;
  children?: ElkNode[];
  edges?: { id: string; sources: string[]; targets: string[] }[];
}

export async function layoutGraph(g: Graph): Promise<Positions> {
  const { default: ELK } = await import("elkjs/lib/elk.bundled.js");
  const elk = new ELK();
  const levels = g.nodes.map((n) => n.level).filter((l): l is number => l !== undefined);
  const minLevel = levels.length ? Math.min(...levels) : 0;
  const level = new Map(g.nodes.map((n) => [n.id, n.level]));
  const child = (n: Graph["nodes"][number]): ElkNode => ({
    id: n.id,
    ...NODE_SIZE,
    ...(n.level !== undefined ? { layoutOptions: { "elk.partitioning.partition": String(n.level - minLevel) } } : {}),
  });
  const root: ElkNode = {
    id: "root",
    layoutOptions: {
      "elk.algorithm": "layered",
      "elk.direction": "DOWN",
      "elk.spacing.nodeNode": "90",
      "elk.layered.spacing.nodeNodeBetweenLayers": "80",
      "elk.edgeRouting": "POLYLINE",
      // graph-level: nodes of a level share a row, levels top to bottom (ELK's partitions).
      ...(levels.length ? { "elk.partitioning.activate": "true" } : {}),
      // Links between groups are laid out with the groups' insides.
      "elk.hierarchyHandling": "INCLUDE_CHILDREN",
    },
    children: [
      // Groups are ELK compound nodes, so their members are laid out together (a cluster each).
      ...g.groups.map((group) => ({
        id: `group:${group}`,
        layoutOptions: { "elk.padding": "[top=30,left=20,bottom=20,right=20]" },
        children: g.nodes.filter((n) => n.group === group).map(child),
      })),
      ...g.nodes.filter((n) => !n.group).map(child),
    ],
    // A link between two nodes of one graph-level would push one below the other: it is drawn, not laid out.
    edges: g.links
      .filter((l) => {
        const [a, b] = [level.get(l.a.node), level.get(l.b.node)];
        return a === undefined || a !== b;
      })
      .map((l) => ({ id: l.id, sources: [l.a.node], targets: [l.b.node] })),
  };
  const out = (await elk.layout(root as never)) as unknown as ElkNode;
  const positions: Positions = new Map();
  // ELK places children relative to their parent: add the group's offset.
  const walk = (nodes: ElkNode[], dx: number, dy: number) => {
    for (const c of nodes) {
      if (c.id.startsWith("group:")) walk(c.children ?? [], dx + (c.x ?? 0), dy + (c.y ?? 0));
      else
        positions.set(c.id, {
          x: dx + (c.x ?? 0),
          y: dy + (c.y ?? 0),
          width: c.width ?? NODE_SIZE.width,
          height: c.height ?? NODE_SIZE.height,
        });
    }
  };
  walk(out.children ?? [], 0, 0);
  // Pinned nodes keep the positions their labels give (graph-posX/Y are centres in TopoViewer).
  for (const n of g.nodes)
    if (n.position)
      positions.set(n.id, {
        x: n.position.x - NODE_SIZE.width / 2,
        y: n.position.y - NODE_SIZE.height / 2,
        ...NODE_SIZE,
      });
  return positions;
}

/** The graph with positions filled in (node centres), for the page and the JSON export. */
export async function withPositions(g: Graph): Promise<Graph> {
  const p = await layoutGraph(g);
  return {
    ...g,
    nodes: g.nodes.map((n) => {
      const at = p.get(n.id);
      return at ? { ...n, position: { x: at.x + at.width / 2, y: at.y + at.height / 2 } } : n;
    }),
  };
}
