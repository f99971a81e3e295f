// Which row (layer) each node of a layered drawing sits on. graph-level labels decide where a
// topology has them (Containerlab's graph does the same); otherwise links point from their first
// endpoint to their second, cycles are broken by a depth-first search in name order, and each node
// sits one row below the lowest of the nodes pointing at it (longest path), sources pulled down to
// just above their first neighbour so a host hangs next to the router it plugs into.

export interface LayerNode {
  id: string;
  name: string;
  level?: number;
}

export interface LayerEdge {
  a: string;
  b: string;
}

/** Natural order ("node3-2" before "node3-10"): the stable tie-break everywhere in the layout. */
export const byName = (a: string, b: string) =>
  a.localeCompare(b, "en", { numeric: true }) || (a < b ? -1 : a > b ? 1 : 0);

export function assignLayers(nodes: LayerNode[], edges: LayerEdge[]): Map<string, number> {
  const ids = new Set(nodes.map((n) => n.id));
  const real = edges.filter((e) => e.a !== e.b && ids.has(e.a) && ids.has(e.b));
  return nodes.some((n) => n.level !== undefined) ? fromLevels(nodes, real) : longestPath(nodes, real);
}

function neighbours(nodes: LayerNode[], edges: LayerEdge[]): Map<string, string[]> {
  const adj = new Map(nodes.map((n) => [n.id, [] as string[]]));
  for (const e of edges) {
    adj.get(e.a)?.push(e.b);
    adj.get(e.b)?.push(e.a);
  }
  return adj;
}

/** graph-level rows; a node without one goes one row below a neighbour that has one (breadth first). */
function fromLevels(nodes: LayerNode[], edges: LayerEdge[]): Map<string, number> {
  const levels = nodes.map((n) => n.level).filter((l): l is number => l !== undefined);
  const min = Math.min(...levels);
  const layer = new Map<string, number>();
  const queue: string[] = [];
  for (const n of nodes)
    if (n.level !== undefined) {
      layer.set(n.id, Math.round(n.level - min));
      queue.push(n.id);
    }
  const adj = neighbours(nodes, edges);
  for (let i = 0; i < queue.length; i++) {
    const at = queue[i] as string;
    for (const m of adj.get(at) ?? [])
      if (!layer.has(m)) {
        layer.set(m, (layer.get(at) ?? 0) + 1);
        queue.push(m);
      }
  }
  for (const n of nodes) if (!layer.has(n.id)) layer.set(n.id, 0);
  return layer;
}

function longestPath(nodes: LayerNode[], edges: LayerEdge[]): Map<string, number> {
  const order = [...nodes].sort((x, y) => byName(x.name, y.name)).map((n) => n.id);
  const out = new Map(order.map((id) => [id, [] as string[]]));
  for (const e of edges) out.get(e.a)?.push(e.b);
  // Depth-first in name order; an edge back to a node still on the stack closes a cycle: reverse it.
  const dag = new Map(order.map((id) => [id, [] as string[]]));
  const state = new Map<string, 1 | 2>();
  for (const root of order) {
    if (state.has(root)) continue;
    const stack: [string, number][] = [[root, 0]];
    state.set(root, 1);
    while (stack.length) {
      const top = stack[stack.length - 1] as [string, number];
      const [v, i] = top;
      const next = (out.get(v) ?? [])[i];
      if (next === undefined) {
        state.set(v, 2);
        stack.pop();
        continue;
      }
      top[1] = i + 1;
      if (state.get(next) === 1) dag.get(next)?.push(v);
      else {
        dag.get(v)?.push(next);
        if (!state.has(next)) {
          state.set(next, 1);
          stack.push([next, 0]);
        }
      }
    }
  }
  // Longest path from the sources (Kahn's order, so every predecessor is placed first).
  const indeg = new Map(order.map((id) => [id, 0]));
  for (const vs of dag.values()) for (const v of vs) indeg.set(v, (indeg.get(v) ?? 0) + 1);
  const layer = new Map<string, number>();
  const queue = order.filter((id) => indeg.get(id) === 0);
  for (const id of queue) layer.set(id, 0);
  for (let i = 0; i < queue.length; i++) {
    const v = queue[i] as string;
    for (const w of dag.get(v) ?? []) {
      layer.set(w, Math.max(layer.get(w) ?? 0, (layer.get(v) ?? 0) + 1));
      indeg.set(w, (indeg.get(w) ?? 0) - 1);
      if (indeg.get(w) === 0) queue.push(w);
    }
  }
  // A source sits just above the nearest of the nodes it points at.
  const hasPred = new Set([...dag.values()].flat());
  for (const id of order) {
    const succ = dag.get(id) ?? [];
    if (hasPred.has(id) || succ.length === 0) continue;
    layer.set(id, Math.min(...succ.map((s) => layer.get(s) ?? 1)) - 1);
  }
  const min = Math.min(0, ...layer.values());
  for (const [id, l] of layer) layer.set(id, l - min);
  return layer;
}
