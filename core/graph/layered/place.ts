import type { Cell, CellGraph } from "./cells.ts";

// Coordinates for the ordered rows. Every cell is a unit that moves alone, except the cells of a
// group spanning several rows, which move together as one lane. Units start packed to the left
// (longest path over "left of" constraints), then each moves towards the mean of its linked cells,
// never past its neighbours: every step keeps the separations, so nodes and groups cannot overlap.

export interface Spacing {
  /** Between two nodes of a row. */
  node: number;
  /** Beside a dummy (a long link's way through a row). */
  dummy: number;
  /** Around a group's members, inside its box. */
  groupPad: number;
  /** Between a group's box and what is beside it. */
  groupGap: number;
  /** Between rows (bottom of one to the top of the next). */
  row: number;
}

const ROUNDS = 16;

interface Item {
  unit: number;
  /** Extent left and right of the unit's x, in this row. */
  left: number;
  right: number;
  /** A cell's offset from its unit's x (0 for a cell that is its own unit). */
  cells: number[];
  group?: string;
  kind: Cell["kind"];
}

export function placeCells(g: CellGraph, sp: Spacing): { x: Float64Array; y: Float64Array } {
  const p = new Placement(g, sp);
  p.relax();
  return p.coordinates();
}

/** The placement in steps: units (a lane per tall group), rows as items, packed left, relaxed. */
class Placement {
  private readonly unitOf: Int32Array;
  private readonly offset: Float64Array;
  private unitCount = 0;
  private readonly laneUnit = new Map<string, number>();
  private readonly laneWidth = new Map<string, number>();
  private readonly items: Item[][];
  private readonly x: Float64Array;

  constructor(
    private readonly g: CellGraph,
    private readonly sp: Spacing,
  ) {
    this.unitOf = new Int32Array(g.cells.length);
    this.offset = new Float64Array(g.cells.length);
    this.makeLanes();
    for (let c = 0; c < g.cells.length; c++) {
      const grp = (g.cells[c] as Cell).group;
      if (!(grp && g.tall.has(grp))) this.unitOf[c] = this.unitCount++;
    }
    this.items = g.rows.map((row) => this.rowItems(row));
    this.x = packLeft(this.unitCount, this.items, this.sep);
  }

  private readonly sep = (p: Item, q: Item) => p.right + itemGap(p, q, this.sp, this.g.tall) + q.left;

  /** A tall group's cells in each row, packed and centred on its lane (one unit for all its rows). */
  private makeLanes(): void {
    const { cells, rows, tall } = this.g;
    for (const grp of tall) {
      const unit = this.unitCount++;
      this.laneUnit.set(grp, unit);
      let width = 0;
      for (const row of rows) {
        const mine = row.filter((c) => (cells[c] as Cell).group === grp);
        const w = packedWidth(
          mine.map((c) => cells[c] as Cell),
          this.sp,
        );
        width = Math.max(width, w);
        let at = -w / 2;
        mine.forEach((c, i) => {
          const cell = cells[c] as Cell;
          const next = mine[i + 1];
          this.unitOf[c] = unit;
          this.offset[c] = at + cell.width / 2;
          at += cell.width + (next === undefined ? 0 : gapBetween(cell, cells[next] as Cell, this.sp));
        });
      }
      this.laneWidth.set(grp, width);
    }
  }

  /** A row as items: a lane is one item, any other cell its own. */
  private rowItems(row: number[]): Item[] {
    const { cells, tall } = this.g;
    const out: Item[] = [];
    for (const c of row) {
      const cell = cells[c] as Cell;
      const last = out[out.length - 1];
      const unit = this.unitOf[c] as number;
      if (cell.group && tall.has(cell.group)) {
        if (last && last.group === cell.group && last.unit === this.laneUnit.get(cell.group)) {
          last.cells.push(c);
          continue;
        }
        const half = (this.laneWidth.get(cell.group) ?? 0) / 2 + this.sp.groupPad;
        out.push({ unit, left: half, right: half, cells: [c], group: cell.group, kind: "lane" });
      } else
        out.push({
          unit,
          left: cell.width / 2,
          right: cell.width / 2,
          cells: [c],
          ...(cell.group ? { group: cell.group } : {}),
          kind: cell.kind,
        });
    }
    return out;
  }

  private cellX(c: number): number {
    return (this.x[this.unitOf[c] as number] as number) + (this.offset[c] as number);
  }

  /** From a linked cell through dummies to the node at the far end. */
  private far(from: number, side: "up" | "down"): number {
    let c = from;
    while ((this.g.cells[c] as Cell).kind === "dummy") c = (this.g.cells[c] as Cell)[side][0] as number;
    return c;
  }

  /**
   * The page draws a link straight from node to node, so a node looks at the far ends of its links
   * (through their dummies) and a dummy at its point on that straight line.
   */
  private wantOf(c: number): { sum: number; n: number } {
    const cell = this.g.cells[c] as Cell;
    if (cell.kind === "dummy") {
      const [u, v] = [this.far(cell.up[0] as number, "up"), this.far(cell.down[0] as number, "down")];
      const [lu, lv] = [(this.g.cells[u] as Cell).layer, (this.g.cells[v] as Cell).layer];
      return { sum: this.cellX(u) + ((this.cellX(v) - this.cellX(u)) * (cell.layer - lu)) / (lv - lu), n: 1 };
    }
    let sum = 0;
    for (const m of cell.up) sum += this.cellX(this.far(m, "up"));
    for (const m of cell.down) sum += this.cellX(this.far(m, "down"));
    return { sum, n: cell.up.length + cell.down.length };
  }

  private desire(cellsOf: number[]): number | undefined {
    let sum = 0;
    let n = 0;
    for (const c of cellsOf) {
      const w = this.wantOf(c);
      sum += w.sum - w.n * (this.offset[c] as number);
      n += w.n;
    }
    return n ? sum / n : undefined;
  }

  /**
   * Rows alternately top-down and bottom-up: a row's cells take the places nearest the mean of
   * their linked cells that keep its separations (isotonic regression, exact), lanes held where
   * they are; then each lane moves the same way within its neighbours in all its rows.
   */
  relax(): void {
    const where = new Map<number, [number, number][]>(); // lane unit → (row, index of its item)
    const laneCells = new Map<number, number[]>();
    this.items.forEach((row, l) => {
      row.forEach((it, i) => {
        if (it.kind !== "lane") return;
        where.set(it.unit, [...(where.get(it.unit) ?? []), [l, i]]);
        laneCells.set(it.unit, [...(laneCells.get(it.unit) ?? []), ...it.cells]);
      });
    });
    for (let round = 0; round < ROUNDS; round++) {
      const rowOrder = this.items.map((_, l) => l);
      if (round % 2 === 1) rowOrder.reverse();
      for (const l of rowOrder) this.relaxRow(this.items[l] as Item[]);
      for (const [unit, at] of where) this.moveLane(unit, at, laneCells.get(unit) ?? []);
    }
  }

  private relaxRow(row: Item[]): void {
    const placed = nearestInOrder(
      row.map((it) => {
        const fixed = it.kind === "lane";
        const held = this.x[it.unit] as number;
        return { want: fixed ? held : (this.desire(it.cells) ?? held), weight: fixed ? 1e9 : 1 };
      }),
      row.slice(1).map((q, i) => this.sep(row[i] as Item, q)),
    );
    row.forEach((it, i) => {
      if (it.kind !== "lane") this.x[it.unit] = placed[i] as number;
    });
  }

  private moveLane(unit: number, at: [number, number][], cells: number[]): void {
    const want = this.desire(cells);
    if (want === undefined) return;
    let lo = -Infinity;
    let hi = Infinity;
    for (const [rl, i] of at) {
      const r = this.items[rl] as Item[];
      const [p, self, q] = [r[i - 1], r[i] as Item, r[i + 1]];
      if (p) lo = Math.max(lo, (this.x[p.unit] as number) + this.sep(p, self));
      if (q) hi = Math.min(hi, (this.x[q.unit] as number) - this.sep(self, q));
    }
    this.x[unit] = Math.min(hi, Math.max(lo, want));
  }

  /** Rows top to bottom; the drawing starts at the origin. */
  coordinates(): { x: Float64Array; y: Float64Array } {
    const { cells, rows } = this.g;
    const y = new Float64Array(cells.length);
    let top = 0;
    const minX = Math.min(...this.items.flat().map((it) => (this.x[it.unit] as number) - it.left));
    for (const row of rows) {
      const h = Math.max(0, ...row.map((c) => (cells[c] as Cell).height));
      for (const c of row) y[c] = top + h / 2;
      top += h + this.sp.row;
    }
    const out = new Float64Array(cells.length);
    for (let c = 0; c < cells.length; c++) out[c] = this.cellX(c) - minX;
    return { x: out, y };
  }
}

/**
 * Places in a row nearest (least squares, weighted) to the wanted ones, keeping the order and the
 * separations between neighbours: pool adjacent violators on the positions less their separations.
 */
export function nearestInOrder(want: { want: number; weight: number }[], seps: number[]): number[] {
  const shift: number[] = [];
  let acc = 0;
  want.forEach((_, i) => {
    shift.push(acc);
    acc += seps[i] ?? 0;
  });
  const blocks: { sum: number; weight: number; n: number }[] = [];
  want.forEach((w, i) => {
    blocks.push({ sum: (w.want - (shift[i] as number)) * w.weight, weight: w.weight, n: 1 });
    while (blocks.length > 1) {
      const [a, b] = [blocks[blocks.length - 2], blocks[blocks.length - 1]] as [(typeof blocks)[0], (typeof blocks)[0]];
      if (a.sum / a.weight <= b.sum / b.weight) break;
      blocks.splice(blocks.length - 2, 2, { sum: a.sum + b.sum, weight: a.weight + b.weight, n: a.n + b.n });
    }
  });
  const out: number[] = [];
  for (const b of blocks) for (let k = 0; k < b.n; k++) out.push(b.sum / b.weight + (shift[out.length] as number));
  return out;
}

function gapBetween(a: Cell, b: Cell, sp: Spacing): number {
  return a.kind === "node" && b.kind === "node" ? sp.node : sp.dummy;
}

function packedWidth(cs: Cell[], sp: Spacing): number {
  return cs.reduce((w, c, i) => w + c.width + (i ? gapBetween(cs[i - 1] as Cell, c, sp) : 0), 0);
}

/** The space between two items of a row: node or dummy spacing, plus group padding where a group starts or ends. */
function itemGap(p: Item, q: Item, sp: Spacing, tall: Set<string>): number {
  const base =
    p.kind === "node" && q.kind === "node" ? sp.node : p.kind === "lane" || q.kind === "lane" ? sp.node : sp.dummy;
  if (p.group === q.group) return base;
  // A lane's extent already holds its padding; a group in one row pads here.
  const pad = (it: Item) => (it.group && !tall.has(it.group) ? sp.groupPad : 0);
  return base + pad(p) + pad(q) + sp.groupGap;
}

/** Longest path over the "left of" constraints (acyclic: rows agree on the order of lanes). */
function packLeft(n: number, items: Item[][], sep: (p: Item, q: Item) => number): Float64Array {
  const succ: { to: number; p: Item; q: Item }[][] = Array.from({ length: n }, () => []);
  const indeg = new Int32Array(n);
  for (const row of items)
    for (let i = 0; i + 1 < row.length; i++) {
      const [p, q] = [row[i] as Item, row[i + 1] as Item];
      succ[p.unit]?.push({ to: q.unit, p, q });
      indeg[q.unit] = (indeg[q.unit] as number) + 1;
    }
  const x = new Float64Array(n);
  const queue: number[] = [];
  for (let u = 0; u < n; u++) if (indeg[u] === 0) queue.push(u);
  for (let i = 0; i < queue.length; i++) {
    const u = queue[i] as number;
    for (const e of succ[u] ?? []) {
      x[e.to] = Math.max(x[e.to] as number, (x[u] as number) + sep(e.p, e.q));
      indeg[e.to] = (indeg[e.to] as number) - 1;
      if (indeg[e.to] === 0) queue.push(e.to);
    }
  }
  return x;
}
