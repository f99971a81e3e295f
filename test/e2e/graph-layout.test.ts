// The drawing as Chromium renders it, on the lab a user gets from `lab generate --nodes 2,8,90`
// (with an image named; 100 nodes, 736 links, Containerlab's generate naming: nodeT-N in group tier-T, SR Linux e1-N
// interfaces). Measured from the page's own Cytoscape (window.labGraph): bounding boxes of nodes,
// interface names and groups; nothing may overlap, and every name drawn must fit its box. A
// screenshot is kept in .test-results/ for a reader to look at.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "puppeteer-core";
import { parse } from "yaml";
import { freePort, LAB, lab } from "../helpers/env.ts";
import { type GraphServer, launchChromium, startGraph } from "../helpers/graph-page.ts";
import { labDir } from "../helpers/lab.ts";

const t = labDir("e2e-graph-layout");
const artifacts = join(import.meta.dir, "../../.test-results");
let server: GraphServer | undefined;
let browser: Browser | undefined;
let page: Page;
let file = "";

interface Rect {
  id: string;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}
interface Measured {
  nodes: (Rect & { group: string })[];
  labels: (Rect & { text: Rect; link: string })[];
  groups: Rect[];
  hidden: string[];
}
let m: Measured;

beforeAll(async () => {
  file = join(t.dir, "clos.clab.yml");
  const gen = lab([
    "generate",
    "--name",
    t.name,
    "--nodes",
    "2,8,90",
    "--image",
    "ghcr.io/nokia/srlinux",
    "--file",
    file,
  ]);
  if (gen.code !== 0) throw new Error(gen.stderr);
  server = await startGraph(LAB, file, await freePort());
  browser = await launchChromium();
  page = await browser.newPage();
  await page.setViewport({ width: 1600, height: 1000 });
  await page.goto(server.url, { waitUntil: "load" });
  await page.waitForFunction(() => document.documentElement.dataset.ready === "true", { timeout: 30_000 });
  m = await page.evaluate(() => {
    const cy = (window as any).labGraph;
    const rect = (e: any, opts: object = { includeLabels: false, includeOverlays: false }) => {
      const b = e.boundingBox(opts);
      return { id: e.id(), x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2 };
    };
    return {
      nodes: cy
        .nodes(":childless")
        .not(".iflabel")
        .map((e: any) => ({ ...rect(e), group: e.data("parent") ?? "" })),
      labels: cy.nodes(".iflabel").map((e: any) => ({
        ...rect(e),
        link: e.data("link"),
        text: rect(e, { includeNodes: false, includeLabels: true, includeOverlays: false }),
      })),
      groups: cy.nodes(".group").map((e: any) => rect(e)),
      hidden: cy
        .edges()
        .filter((e: any) => cy.nodes(".iflabel").filter((n: any) => n.data("link") === e.id()).length < 2)
        .map((e: any) => e.id()),
    };
  });
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, "graph-clos-100.png") });
  // The whole fabric is 90 leaves wide; a second picture at 100 % around the first spine and leaves.
  await page.evaluate(() => {
    const cy = (window as any).labGraph;
    cy.zoom(1);
    cy.center(cy.getElementById("node2-1"));
  });
  await Bun.sleep(600); // Cytoscape draws a blurred texture while the view moves, then the real one
  await page.screenshot({ path: join(artifacts, "graph-clos-100-detail.png") });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  t.cleanup();
});

const overlap = (a: Rect, b: Rect) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
function clashes(rects: Rect[]): string[] {
  const sorted = [...rects].sort((a, b) => a.x1 - b.x1);
  const out: string[] = [];
  for (let i = 0; i < sorted.length; i++)
    for (let j = i + 1; j < sorted.length && (sorted[j] as Rect).x1 < (sorted[i] as Rect).x2; j++)
      if (overlap(sorted[i] as Rect, sorted[j] as Rect))
        out.push(`${(sorted[i] as Rect).id} × ${(sorted[j] as Rect).id}`);
  return out;
}

describe("lab graph: the layout of a 100-node Clos, measured in Chromium", () => {
  test("every node of the file is drawn, tiers in name order from left to right", () => {
    const topo = parse(readFileSync(file, "utf8")) as { topology: { nodes: Record<string, unknown> } };
    expect(m.nodes.map((n) => n.id).sort()).toEqual(Object.keys(topo.topology.nodes).sort());
    for (const tier of [1, 2, 3]) {
      const row = m.nodes.filter((n) => n.id.startsWith(`node${tier}-`)).sort((a, b) => a.x1 - b.x1);
      expect(row.map((n) => Number(n.id.split("-")[1]))).toEqual(row.map((_, i) => i + 1));
    }
  });

  test("no two nodes, interface names or node and name overlap", () => {
    expect(m.labels.length).toBeGreaterThan(0);
    expect(clashes([...m.nodes, ...m.labels])).toEqual([]);
  });

  test("each interface name drawn fits its box (no text spills over a neighbour)", () => {
    const spills = m.labels.filter(
      (l) => l.text.x1 < l.x1 - 1 || l.text.x2 > l.x2 + 1 || l.text.y1 < l.y1 - 1 || l.text.y2 > l.y2 + 1,
    );
    expect(spills.map((l) => l.id)).toEqual([]);
  });

  test("groups (the tiers) do not overlap, and no node sits in another tier's box", () => {
    expect(m.groups.length).toBe(3);
    expect(clashes(m.groups)).toEqual([]);
    const strangers = m.nodes.flatMap((n) =>
      m.groups.filter((g) => g.id !== n.group && overlap(g, n)).map((g) => `${n.id} in ${g.id}`),
    );
    expect(strangers).toEqual([]);
  });

  test("a link whose names found no room shows both of them on hover", async () => {
    const id = m.hidden[0];
    expect(id).toBeDefined();
    const label = await page.evaluate((edge: string) => {
      const e = (window as any).labGraph.getElementById(edge);
      e.emit("mouseover");
      const shown = e.style("label");
      e.emit("mouseout");
      return shown;
    }, id as string);
    expect(label).toMatch(/^node\d+-\d+:e1-\d+ — node\d+-\d+:e1-\d+$/);
  });
});
