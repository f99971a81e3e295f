import { buildCells, type CellNode } from "./cells.ts";
import { assignLayers, type LayerEdge } from "./layers.ts";
import { orderRows } from "./order.ts";
import { placeCells, type Spacing } from "./place.ts";

// A layered (Sugiyama) drawing, top to bottom, in four named steps: rows, the layered graph with
// its dummies and lanes, the order of each row, coordinates. Pure and deterministic: the same
// topology gives the same picture on every run and every machine.
//
// The placement keeps each long link's dummies on the straight line the page draws it as, so
// the crossings the ordering counts are the ones a reader sees.

export interface LayeredNode extends CellNode {
  level?: number;
}

export interface Layered {
  /** Node centres. */
  centres: Map<string, { x: number; y: number }>;
  /** Node ids per row, left to right (dummies and lanes left out). */
  rows: string[][];
}

export const SPACING: Spacing = { node: 50, dummy: 14, groupPad: 20, groupGap: 24, row: 110 };

export function layered(nodes: LayeredNode[], edges: LayerEdge[], spacing: Spacing = SPACING): Layered {
  const layerOf = assignLayers(nodes, edges);
  const graph = buildCells(nodes, edges, layerOf);
  orderRows(graph);
  const { x, y } = placeCells(graph, spacing);
  const centres = new Map<string, { x: number; y: number }>();
  graph.cells.forEach((c, i) => {
    if (c.kind === "node") centres.set(c.id, { x: x[i] as number, y: y[i] as number });
  });
  const rows = graph.rows.map((r) =>
    r.filter((c) => graph.cells[c]?.kind === "node").map((c) => graph.cells[c]?.id as string),
  );
  return { centres, rows };
}
