import { byName, type LayerEdge } from "./layers.ts";

// The layered graph the ordering and placement work on: one cell per node, one dummy cell per row a
// long link passes (so it reserves its way through), and for a group spanning several rows a
// placeholder in each row it has no member in, so the group keeps one lane from its top to its bottom.

export interface Cell {
  id: string;
  name: string;
  layer: number;
  width: number;
  height: number;
  group?: string;
  kind: "node" | "dummy" | "lane";
  /** Cells this one links to in the row above / below (repeated for parallel links). */
  up: number[];
  down: number[];
}

export interface CellGraph {
  cells: Cell[];
  /** Cell indices per row, left to right. */
  rows: number[][];
  /** Groups whose members sit on more than one row. */
  tall: Set<string>;
}

export interface CellNode {
  id: string;
  name: string;
  group?: string;
  width: number;
  height: number;
}

export const DUMMY_WIDTH = 12;

export function buildCells(nodes: CellNode[], edges: LayerEdge[], layerOf: Map<string, number>): CellGraph {
  const cells: Cell[] = [];
  const index = new Map<string, number>();
  const add = (c: Omit<Cell, "up" | "down">) => {
    cells.push({ ...c, up: [], down: [] });
    return cells.length - 1;
  };
  for (const n of [...nodes].sort((x, y) => byName(x.name, y.name)))
    index.set(
      n.id,
      add({
        id: n.id,
        name: n.name,
        layer: layerOf.get(n.id) ?? 0,
        width: n.width,
        height: n.height,
        kind: "node",
        ...(n.group ? { group: n.group } : {}),
      }),
    );
  const span = new Map<string, [number, number]>();
  for (const c of cells)
    if (c.group) {
      const s = span.get(c.group);
      span.set(c.group, s ? [Math.min(s[0], c.layer), Math.max(s[1], c.layer)] : [c.layer, c.layer]);
    }
  const tall = new Set([...span].filter(([, [lo, hi]]) => hi > lo).map(([g]) => g));
  let dummies = 0;
  // Links in name order, so the same topology builds the same cells whatever order it lists them.
  const named = (e: LayerEdge) => [e.a, e.b].sort(byName).join("\u0000");
  for (const e of [...edges].sort((x, y) => byName(named(x), named(y)))) {
    const [ia, ib] = [index.get(e.a), index.get(e.b)];
    if (ia === undefined || ib === undefined || ia === ib) continue;
    const [top, bottom] = (cells[ia] as Cell).layer <= (cells[ib] as Cell).layer ? [ia, ib] : [ib, ia];
    const [t, b] = [cells[top] as Cell, cells[bottom] as Cell];
    if (t.layer === b.layer) continue; // drawn beside, not laid out
    // A long link inside a tall group runs inside its lane; any other outside every group.
    const group = t.group && t.group === b.group && tall.has(t.group) ? t.group : undefined;
    let prev = top;
    for (let l = t.layer + 1; l < b.layer; l++) {
      const d = add({
        id: `~${dummies++}`,
        name: `${t.name}~${b.name}`,
        layer: l,
        width: DUMMY_WIDTH,
        height: 0,
        kind: "dummy",
        ...(group ? { group } : {}),
      });
      link(cells, prev, d);
      prev = d;
    }
    link(cells, prev, bottom);
  }
  for (const g of tall) {
    const [lo, hi] = span.get(g) as [number, number];
    for (let l = lo; l <= hi; l++)
      if (!cells.some((c) => c.layer === l && c.group === g))
        add({ id: `~lane:${g}:${l}`, name: g, layer: l, width: 0, height: 0, kind: "lane", group: g });
  }
  const depth = Math.max(0, ...cells.map((c) => c.layer)) + 1;
  const rows: number[][] = Array.from({ length: depth }, () => []);
  // First order: a group's members together, everything by name (the tie-break the sweeps keep).
  const key = (c: Cell) => c.group ?? c.name;
  const sorted = cells
    .map((_, i) => i)
    .sort((x, y) => {
      const [a, b] = [cells[x] as Cell, cells[y] as Cell];
      return byName(key(a), key(b)) || byName(a.name, b.name) || x - y;
    });
  for (const i of sorted) rows[(cells[i] as Cell).layer]?.push(i);
  return { cells, rows, tall };
}

function link(cells: Cell[], upper: number, lower: number) {
  (cells[upper] as Cell).down.push(lower);
  (cells[lower] as Cell).up.push(upper);
}
