// The drawing measured as a reader meets it: on Containerlab's own lab-examples and on Clos fabrics
// built as Containerlab's `generate` builds them (cmd/generate.go: nodeI-J in group tier-I, every
// node of a tier linked to every node of the next, e1-N interfaces of nokia_srlinux). Yardsticks:
// no node, group or label overlaps anything; straight-line crossings within 10 % of ELK's layered
// algorithm given the same rows (test/helpers/elk-reference.ts).
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { elkCentres } from "../../../test/helpers/elk-reference.ts";
import { type Box, boxAt, countSegmentCrossings, overlappingPairs, overlaps } from "./geometry.ts";
import { placeLabels, shortName } from "./labels.ts";
import { layered, SPACING } from "./layered.ts";

const SIZE = { width: 120, height: 56 };

interface Topo {
  nodes: { id: string; name: string; group?: string; level?: number; width: number; height: number }[];
  links: { a: string; ai: string; b: string; bi: string }[];
}

function clos(tiers: number[]): Topo {
  const nodes: Topo["nodes"] = [];
  const links: Topo["links"] = [];
  tiers.forEach((count, i) => {
    for (let j = 1; j <= count; j++)
      nodes.push({ id: `node${i + 1}-${j}`, name: `node${i + 1}-${j}`, group: `tier-${i + 1}`, ...SIZE });
  });
  for (let i = 0; i + 1 < tiers.length; i++) {
    const offset = i > 0 ? (tiers[i - 1] as number) : 0;
    for (let j = 1; j <= (tiers[i] as number); j++)
      for (let k = 1; k <= (tiers[i + 1] as number); k++)
        links.push({ a: `node${i + 1}-${j}`, ai: `e1-${k + offset}`, b: `node${i + 2}-${k}`, bi: `e1-${j}` });
  }
  return { nodes, links };
}

function fromFile(path: string): Topo {
  const t = parse(readFileSync(path, "utf8")) as {
    topology?: {
      nodes?: Record<string, { group?: string; labels?: Record<string, string> } | null>;
      links?: { endpoints?: string[] }[];
    };
  };
  const nodes = Object.entries(t.topology?.nodes ?? {}).map(([id, n]) => {
    const level = n?.labels?.["graph-level"];
    const group = n?.group ?? n?.labels?.["graph-group"];
    return {
      id,
      name: id,
      ...SIZE,
      ...(group ? { group } : {}),
      ...(level !== undefined ? { level: Number(level) } : {}),
    };
  });
  const ids = new Set(nodes.map((n) => n.id));
  const split = (e: string) => [e.slice(0, e.indexOf(":")), e.slice(e.indexOf(":") + 1)] as const;
  const links = (t.topology?.links ?? [])
    .filter((l) => l.endpoints?.length === 2)
    .map((l) => {
      const [[a, ai], [b, bi]] = [split(l.endpoints?.[0] as string), split(l.endpoints?.[1] as string)];
      return { a, ai, b, bi };
    })
    .filter((l) => ids.has(l.a) && ids.has(l.b));
  return { nodes, links };
}

async function measure(t: Topo) {
  const drawing = layered(t.nodes, t.links);
  const boxes = new Map([...drawing.centres].map(([id, c]) => [id, { ...c, ...SIZE }]));
  const labels = placeLabels(
    boxes,
    t.links.flatMap((l, i) => [
      { key: `${i}a`, node: l.a, other: l.b, text: l.ai },
      { key: `${i}b`, node: l.b, other: l.a, text: l.bi },
    ]),
  );
  const nodeBoxes = [...boxes.values()].map((b) => boxAt(b.x, b.y, b.width, b.height));
  const labelBoxes = [...labels.values()].map((b) => boxAt(b.x, b.y, b.width, b.height));
  const segments = (c: Map<string, { x: number; y: number }>) =>
    t.links
      .filter((l) => l.a !== l.b)
      .map((l) => ({
        a: l.a,
        b: l.b,
        from: c.get(l.a) as { x: number; y: number },
        to: c.get(l.b) as { x: number; y: number },
      }));
  const rowOf = new Map<string, number>();
  drawing.rows.forEach((row, i) => {
    for (const id of row) rowOf.set(id, i);
  });
  const elk = await elkCentres(t.nodes, t.links, rowOf);
  // A group's box as the page draws it: its members' bounds plus the padding.
  const groupBoxes = new Map<string, Box>();
  for (const n of t.nodes) {
    if (!n.group) continue;
    const c = drawing.centres.get(n.id) as { x: number; y: number };
    const b = boxAt(c.x, c.y, n.width + 2 * SPACING.groupPad, n.height + 2 * SPACING.groupPad);
    const g = groupBoxes.get(n.group);
    groupBoxes.set(
      n.group,
      g
        ? { x1: Math.min(g.x1, b.x1), y1: Math.min(g.y1, b.y1), x2: Math.max(g.x2, b.x2), y2: Math.max(g.y2, b.y2) }
        : b,
    );
  }
  const groupClashes = [...groupBoxes].flatMap(([g, box]) => [
    ...[...groupBoxes].filter(([h, other]) => h > g && overlaps(box, other)).map(([h]) => `${g}/${h}`),
    ...t.nodes
      .filter((n) => {
        const c = drawing.centres.get(n.id) as { x: number; y: number };
        return n.group !== g && overlaps(box, boxAt(c.x, c.y, n.width, n.height));
      })
      .map((n) => `${g}/${n.id}`),
  ]);
  return {
    drawing,
    labels,
    nodeOverlaps: overlappingPairs(nodeBoxes).length,
    anyOverlaps: overlappingPairs([...nodeBoxes, ...labelBoxes]).length,
    groupClashes,
    ours: countSegmentCrossings(segments(drawing.centres)),
    elk: countSegmentCrossings(segments(elk)),
  };
}

const examples = join(import.meta.dir, "../../../test/fixtures/lab-examples");

describe("layered layout", () => {
  for (const file of readdirSync(examples).filter((f) => /\.clab\.ya?ml$/.test(f)))
    test(`Containerlab's ${file}: nothing overlaps, crossings within 10 % of ELK's`, async () => {
      const m = await measure(fromFile(join(examples, file)));
      expect(m.nodeOverlaps).toBe(0);
      expect(m.anyOverlaps).toBe(0);
      expect(m.groupClashes).toEqual([]);
      expect(m.ours).toBeLessThanOrEqual(Math.floor(m.elk * 1.1));
    });

  for (const tiers of [
    [2, 4, 8],
    [2, 8, 90],
  ])
    test(`generated Clos ${tiers.join(",")}: tiers in name order, nothing overlaps, crossings within 10 % of ELK's`, async () => {
      const t = clos(tiers);
      const m = await measure(t);
      expect(m.drawing.rows).toEqual(
        tiers.map((count, i) => Array.from({ length: count }, (_, j) => `node${i + 1}-${j + 1}`)),
      );
      expect(m.nodeOverlaps).toBe(0);
      expect(m.anyOverlaps).toBe(0);
      expect(m.groupClashes).toEqual([]);
      expect(m.ours).toBeLessThanOrEqual(Math.floor(m.elk * 1.1));
      // Every end's name is drawn where there is room; on the small fabric that is all of them.
      if (tiers[2] === 8) expect(m.labels.size).toBe(t.links.length * 2);
    });

  test("groups over several rows keep their own lane: no group box over another group or a stranger", async () => {
    const nodes = ["a1", "a2", "a3", "b1", "b2", "b3", "c1", "c2"].map((id) => ({
      id,
      name: id,
      ...SIZE,
      ...(id.startsWith("c") ? {} : { group: `pod-${id[0]}` }),
    }));
    const l = (a: string, b: string) => ({ a, ai: "eth1", b, bi: "eth1" });
    const m = await measure({
      nodes,
      links: [
        l("c1", "a1"),
        l("c1", "b1"),
        l("a1", "a2"),
        l("a2", "a3"),
        l("b1", "b2"),
        l("b2", "b3"),
        l("c2", "a3"),
        l("c2", "b3"),
        l("a1", "b3"),
      ],
    });
    expect(m.groupClashes).toEqual([]);
    expect(m.nodeOverlaps).toBe(0);
    expect(m.anyOverlaps).toBe(0);
  });

  test("graph-level labels are the rows (Containerlab's graph reads them too)", () => {
    const nodes = [
      { id: "leaf", name: "leaf", level: 2, ...SIZE },
      { id: "spine", name: "spine", level: 1, ...SIZE },
      { id: "host", name: "host", level: 3, ...SIZE },
    ];
    const d = layered(nodes, [
      { a: "leaf", b: "spine" },
      { a: "leaf", b: "host" },
    ]);
    expect(d.rows).toEqual([["spine"], ["leaf"], ["host"]]);
  });

  test("the same topology, given in any order, is the same drawing", () => {
    const t = clos([2, 4, 8]);
    const a = layered(t.nodes, t.links);
    const b = layered([...t.nodes].reverse(), [...t.links].reverse());
    expect([...b.centres].sort()).toEqual([...a.centres].sort());
  });

  test("short interface names: Containerlab's and the NOSes' long forms", () => {
    expect(shortName("ethernet-1/1")).toBe("e1/1");
    expect(shortName("GigabitEthernet0/0/0/1")).toBe("G0/0/0/1");
    expect(shortName("eth12")).toBe("e12");
    expect(shortName("1/1/c1/1")).toBe("1/1/c1/1");
  });
});
