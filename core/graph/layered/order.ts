import type { Cell, CellGraph } from "./cells.ts";

// The order of each row, chosen to cross few links: layer sweeps with the barycentre heuristic
// (Sugiyama; the first phase of ELK's layered crossing minimisation), the best of the sweeps kept,
// then ELK's greedy switch (swap neighbours while that removes crossings). Every sort is stable on
// the current order, whose first form is by name, so equal choices fall the same way on every run.
// Constraints: a group's members stay together in a row, and groups spanning several rows keep the
// same left-to-right order in all of them (so their boxes never overlap).

const MAX_SWEEPS = 24;
const MAX_SWITCH_PASSES = 12;

export function orderRows(g: CellGraph): void {
  let best = g.rows.map((r) => [...r]);
  let bestCount = countCrossings(g.cells, best);
  let rank = tallRanks(g);
  let stale = 0;
  for (let i = 0; i < MAX_SWEEPS && bestCount > 0 && stale < 3; i++) {
    const down = i % 2 === 0;
    const layers = g.rows.map((_, l) => l);
    for (const l of down ? layers.slice(1) : layers.slice(0, -1).reverse())
      reorder(g, l, down ? l - 1 : l + 1, down ? "up" : "down", rank);
    rank = tallRanks(g);
    const count = countCrossings(g.cells, g.rows);
    if (count < bestCount) {
      best = g.rows.map((r) => [...r]);
      bestCount = count;
      stale = 0;
    } else stale++;
  }
  g.rows = best;
  greedySwitch(g);
}

/** Positions in a row as fractions, so rows of different lengths compare. */
function fractions(row: number[]): Map<number, number> {
  return new Map(row.map((c, i) => [c, (i + 0.5) / row.length]));
}

function reorder(g: CellGraph, l: number, fixed: number, side: "up" | "down", rank: Map<string, number>) {
  const row = g.rows[l] as number[];
  const at = fractions(g.rows[fixed] as number[]);
  const own = fractions(row);
  const bary = new Map<number, number>();
  for (const c of row) {
    const ns = (g.cells[c] as Cell)[side];
    bary.set(c, ns.length ? ns.reduce((s, n) => s + (at.get(n) ?? 0), 0) / ns.length : (own.get(c) ?? 0));
  }
  // A group is one block: its key is its members' mean, its tie its first member's place.
  const block = new Map<string, { sum: number; n: number; first: number }>();
  row.forEach((c, i) => {
    const grp = (g.cells[c] as Cell).group;
    if (!grp) return;
    const b = block.get(grp) ?? { sum: 0, n: 0, first: i };
    b.sum += bary.get(c) ?? 0;
    b.n++;
    block.set(grp, b);
  });
  const index = new Map(row.map((c, i) => [c, i]));
  const blockKey = (c: number): [number, number] => {
    const grp = (g.cells[c] as Cell).group;
    const b = grp ? block.get(grp) : undefined;
    return b ? [b.sum / b.n, b.first] : [bary.get(c) ?? 0, index.get(c) ?? 0];
  };
  const sorted = [...row].sort((x, y) => {
    const [kx, tx] = blockKey(x);
    const [ky, ty] = blockKey(y);
    return kx - ky || tx - ty || (bary.get(x) ?? 0) - (bary.get(y) ?? 0) || (index.get(x) ?? 0) - (index.get(y) ?? 0);
  });
  g.rows[l] = keepTallOrder(g, sorted, rank);
}

/** Groups over several rows: their blocks in this row take the slots they hold, in global rank order. */
function keepTallOrder(g: CellGraph, row: number[], rank: Map<string, number>): number[] {
  if (g.tall.size === 0) return row;
  const segments: number[][] = [];
  for (const c of row) {
    const grp = (g.cells[c] as Cell).group;
    const last = segments[segments.length - 1];
    const lastGroup = last ? (g.cells[last[0] as number] as Cell).group : undefined;
    if (last && grp && g.tall.has(grp) && grp === lastGroup) last.push(c);
    else segments.push([c]);
  }
  const isTall = (s: number[]) => g.tall.has((g.cells[s[0] as number] as Cell).group ?? "");
  const tallSorted = segments
    .filter(isTall)
    .sort(
      (a, b) =>
        (rank.get((g.cells[a[0] as number] as Cell).group as string) ?? 0) -
        (rank.get((g.cells[b[0] as number] as Cell).group as string) ?? 0),
    );
  let t = 0;
  return segments.flatMap((s) => (isTall(s) ? (tallSorted[t++] as number[]) : s));
}

/** A tall group's rank: the mean place of its block over its rows (ties: by name). */
function tallRanks(g: CellGraph): Map<string, number> {
  const acc = new Map<string, { sum: number; n: number }>();
  for (const row of g.rows)
    row.forEach((c, i) => {
      const grp = (g.cells[c] as Cell).group;
      if (!grp || !g.tall.has(grp)) return;
      const a = acc.get(grp) ?? { sum: 0, n: 0 };
      a.sum += (i + 0.5) / row.length;
      a.n++;
      acc.set(grp, a);
    });
  const names = [...acc.keys()].sort();
  return new Map(names.map((name, i) => [name, (acc.get(name)?.sum ?? 0) / (acc.get(name)?.n ?? 1) + i * 1e-9]));
}

/** Crossings between consecutive rows: inversions of the lower ends, counted with a Fenwick tree. */
export function countCrossings(cells: Cell[], rows: number[][]): number {
  let total = 0;
  for (let l = 0; l + 1 < rows.length; l++) {
    const upper = new Map((rows[l] as number[]).map((c, i) => [c, i]));
    const lower = new Map((rows[l + 1] as number[]).map((c, i) => [c, i]));
    const pairs: [number, number][] = [];
    for (const c of rows[l] as number[])
      for (const d of (cells[c] as Cell).down) pairs.push([upper.get(c) ?? 0, lower.get(d) ?? 0]);
    pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const size = (rows[l + 1] as number[]).length;
    const tree = new Array<number>(size + 1).fill(0);
    let seen = 0;
    for (const [, p] of pairs) {
      // Lower ends already seen that lie right of p: each crosses this link.
      let le = 0;
      for (let i = p + 1; i > 0; i -= i & -i) le += tree[i] as number;
      total += seen - le;
      for (let i = p + 1; i <= size; i += i & -i) tree[i] = (tree[i] as number) + 1;
      seen++;
    }
  }
  return total;
}

/** Swap neighbours in a row (same group, or both outside groups) while that lowers crossings. */
function greedySwitch(g: CellGraph) {
  for (let pass = 0; pass < MAX_SWITCH_PASSES; pass++) {
    let improved = false;
    const pos = new Map<number, number>();
    for (const row of g.rows)
      row.forEach((c, i) => {
        pos.set(c, i);
      });
    for (const row of g.rows)
      for (let i = 0; i + 1 < row.length; i++) {
        const [u, v] = [row[i] as number, row[i + 1] as number];
        const [cu, cv] = [g.cells[u] as Cell, g.cells[v] as Cell];
        if (cu.group !== cv.group) continue;
        const here = pairCrossings(cu, cv, pos);
        const swapped = pairCrossings(cv, cu, pos);
        if (swapped < here) {
          row[i] = v;
          row[i + 1] = u;
          pos.set(u, i + 1);
          pos.set(v, i);
          improved = true;
        }
      }
    if (!improved) break;
  }
}

/** Crossings between the links of u and v (u left of v), above and below. */
function pairCrossings(u: Cell, v: Cell, pos: Map<number, number>): number {
  let n = 0;
  for (const side of ["up", "down"] as const)
    for (const a of u[side]) {
      const pa = pos.get(a) ?? 0;
      for (const b of v[side]) if (pa > (pos.get(b) ?? 0)) n++;
    }
  return n;
}
