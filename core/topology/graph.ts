import type { NodeModel } from "./model.ts";

/**
 * The "create" dependencies of every node: explicit `wait-for`, `network-mode: container:<node>`,
 * and, as Containerlab does, every node without a static management IP waits for all nodes with one
 * (so Docker's IPAM never hands a static address to a dynamic node first).
 */
export function dependencies(nodes: NodeModel[]): Map<string, Set<string>> {
  const names = new Set(nodes.map((n) => n.name));
  const isStatic = (n: NodeModel) => !!(n.mgmtIpv4 || n.mgmtIpv6);
  const statics = nodes.filter(isStatic).map((n) => n.name);
  const deps = new Map<string, Set<string>>();
  for (const n of nodes) {
    const d = new Set<string>();
    for (const w of n.waitFor) if (names.has(w.node)) d.add(w.node);
    const target = n.networkMode?.startsWith("container:") ? n.networkMode.slice("container:".length) : undefined;
    if (target && names.has(target)) d.add(target);
    if (!isStatic(n)) for (const s of statics) d.add(s);
    d.delete(n.name);
    deps.set(n.name, d);
  }
  return deps;
}

/** A dependency cycle as a path `a → b → a`, or undefined. */
export function findCycle(deps: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (n: string): string[] | undefined => {
    if (state.get(n) === "done") return undefined;
    if (state.get(n) === "visiting") return [...stack.slice(stack.indexOf(n)), n];
    state.set(n, "visiting");
    stack.push(n);
    for (const d of deps.get(n) ?? []) {
      const cycle = visit(d);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(n, "done");
    return undefined;
  };
  for (const n of [...deps.keys()].sort()) {
    const cycle = visit(n);
    if (cycle) return cycle;
  }
  return undefined;
}

/** Nodes in an order where every node comes after its dependencies (input must be acyclic). */
export function topoOrder(deps: Map<string, Set<string>>): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (n: string) => {
    if (seen.has(n)) return;
    seen.add(n);
    for (const d of [...(deps.get(n) ?? [])].sort()) visit(d);
    out.push(n);
  };
  for (const n of [...deps.keys()].sort()) visit(n);
  return out;
}
