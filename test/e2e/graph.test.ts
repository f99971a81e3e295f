// lab graph in a real headless Chromium (Debian's, driven by puppeteer-core; nothing downloaded):
// a running 10-node lab drawn and followed live, and the dot, mermaid and draw.io exports checked
// with graphviz, mermaid's own parser and the browser's XML parser.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "puppeteer-core";
import { freePort, LAB, lab, sh, waitFor } from "../helpers/env.ts";
import { type GraphServer, launchChromium, openGraphPage, startGraph } from "../helpers/graph-page.ts";
import { errorLines, freeSubnet, labDir } from "../helpers/lab.ts";

const t = labDir("e2e-graph");
const subnet = freeSubnet();
const root = join(import.meta.dir, "../..");
const artifacts = join(root, ".test-results");
const nodes = Array.from({ length: 10 }, (_, i) => `r${i + 1}`);
// A ring with two chords: 12 links, each with both interface names to find on the page.
const links: [string, string][] = [
  ...nodes.map((n, i): [string, string] => [`${n}:eth1`, `${nodes[(i + 1) % 10]}:eth2`]),
  ["r1:eth3", "r6:eth3"],
  ["r3:eth3", "r8:eth3"],
];
let file = "";
let server: GraphServer | undefined;
let url = "";
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

const stateOnPage = (node: string) =>
  page.$eval(`#node-table tr[data-node="${node}"] td.state`, (td) => td.textContent ?? "");
/** Waits (bounded) until the page shows `state` for `node`; how fast it does is make bench's. */
async function showsState(node: string, state: string): Promise<void> {
  await page.waitForFunction(
    (n: string, s: string) => document.querySelector(`#node-table tr[data-node="${n}"] td.state`)?.textContent === s,
    { timeout: 20_000, polling: 50 },
    node,
    state,
  );
}

beforeAll(async () => {
  file = t.write(
    "graph.clab.yml",
    `name: ${t.name}
mgmt: { network: ${t.name}, ipv4-subnet: ${subnet.v4} }
topology:
  defaults: { image: lab-test/linux:1 }
  nodes:
${nodes.map((n, i) => `    ${n}: { group: ${i < 5 ? "west" : "east"}${i === 0 ? ", ports: ['127.0.0.1:18022:22']" : ""} }`).join("\n")}
  links:
${links.map(([a, b]) => `    - endpoints: ["${a}", "${b}"]`).join("\n")}
`,
  );
  const up = lab(["up", "-t", file]);
  if (up.code !== 0) throw new Error(up.stderr);
  server = await startGraph(LAB, file, await freePort());
  url = server.url;
  browser = await launchChromium();
  page = await openGraphPage(browser, url, consoleErrors);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  t.cleanup();
});

describe("lab graph: the page in headless Chromium", () => {
  test("no console errors; every node (name, group, state) and every link (both interfaces) is on the page as text", async () => {
    expect(consoleErrors).toEqual([]);
    const rows = await page.$$eval("#node-table tbody tr", (trs) =>
      trs.map((tr) => [...tr.querySelectorAll("th, td")].map((c) => c.textContent)),
    );
    // Nodes come in the lab's order (by name, as Containerlab sorts them).
    const byName = nodes
      .map((n, i) => [n, i < 5 ? "west" : "east", "running"])
      .sort(([a], [b]) => ((a as string) < (b as string) ? -1 : 1));
    expect(rows.map((r) => [r[0], r[2], r[3]])).toEqual(byName);
    expect(rows[0]?.[6]).toContain("127.0.0.1:18022→22/tcp");
    const linkRows = await page.$$eval("#link-table tbody tr", (trs) =>
      trs.map((tr) => [...tr.querySelectorAll("td")].slice(0, 4).map((c) => c.textContent)),
    );
    expect(linkRows).toEqual(links.map(([a, b]) => [...a.split(":"), ...b.split(":")]));
  });

  test("a node click shows its details and how to reach it", async () => {
    const at = await page.evaluate(() => {
      // Cytoscape draws on a canvas: click where it placed r4.
      const cy = (
        window as unknown as {
          labGraph?: { getElementById(id: string): { renderedPosition(): { x: number; y: number } } };
        }
      ).labGraph;
      const box = (document.querySelector("#canvas") as HTMLElement).getBoundingClientRect();
      const p = cy?.getElementById("r4").renderedPosition();
      return p ? { x: box.left + p.x, y: box.top + p.y } : undefined;
    });
    expect(at).toBeDefined();
    await page.mouse.click(at?.x ?? 0, at?.y ?? 0);
    await page.waitForFunction(() => document.querySelector("#details h2")?.textContent === "r4", { timeout: 3000 });
    const details = await page.$eval("#details", (d) => d.textContent ?? "");
    expect(details).toContain(`lab exec -t ${file} --node r4`);
    expect(details).toContain(`docker exec -it clab-${t.name}-r4 sh`);
  });

  test("each node's terminal: two at once, typed into, their output read from the page; a resize reaches stty", async () => {
    const origin = new URL(url).origin;
    const open = async (node: string) => {
      const p = await browser.newPage();
      p.on("pageerror", (e) => consoleErrors.push(String(e)));
      await p.setViewport({ width: 1000, height: 700 });
      await p.goto(`${origin}/terminal/${node}`, { waitUntil: "load" });
      await p.waitForFunction(() => document.querySelector("#status")?.textContent === "connected", {
        timeout: 15_000,
      });
      return p;
    };
    /** The terminal's rows as the page's accessibility tree holds them (what a screen reader reads). */
    const rows = (p: Page) =>
      p.$$eval(".xterm-accessibility-tree > div", (ds) => ds.map((d) => (d.textContent ?? "").trim()));
    const typeAndWait = async (p: Page, text: string, want: (rows: string[]) => boolean) => {
      // Keys go to the tab in front, as a user's would.
      await p.bringToFront();
      await p.focus(".xterm-helper-textarea");
      await p.keyboard.type(text);
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && !want(await rows(p))) await Bun.sleep(50);
      return rows(p);
    };
    const [p1, p2] = await Promise.all([open("r1"), open("r2")]);
    expect(await typeAndWait(p1, "cat /etc/hostname\n", (r) => r.includes("r1"))).toContain("r1");
    expect(await typeAndWait(p2, "cat /etc/hostname\n", (r) => r.includes("r2"))).toContain("r2");
    // A smaller window: xterm fits fewer rows and columns, and the node's terminal follows. (A tab in
    // the background gets no resize events: p1 comes to the front first.)
    await p1.bringToFront();
    await p1.focus(".xterm-helper-textarea");
    await p1.setViewport({ width: 640, height: 400 });
    await p1.waitForFunction(() => (window as unknown as { labTerminal: { cols: number } }).labTerminal.cols < 80, {
      timeout: 5000,
    });
    const size = await p1.evaluate(() => {
      const term = (window as unknown as { labTerminal: { rows: number; cols: number } }).labTerminal;
      return `${term.rows} ${term.cols}`;
    });
    expect(await typeAndWait(p1, "stty size\n", (r) => r.includes(size))).toContain(size);
    await Promise.all([p1.close(), p2.close()]);
  });

  test("a link end's Capture: a pcapng download that grows while packets cross, ended by the reader", async () => {
    const origin = new URL(url).origin;
    const href = await page.$eval(
      `#link-table a[href^="/capture/r1/"]`,
      (a) => (a as HTMLAnchorElement).getAttribute("href") ?? "",
    );
    expect(href).toBe("/capture/r1/eth1");
    const stop = new AbortController();
    const res = await fetch(`${origin}${href}`, { signal: stop.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/x-pcapng");
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let bytes = new Uint8Array(0);
    // IPv6 to all nodes on r1's eth1 (its link-local address is there without any configuration).
    const traffic = Bun.spawn(["docker", "exec", `clab-${t.name}-r1`, "ping6", "-c", "3", "-I", "eth1", "ff02::1"], {
      stdout: "ignore",
      stderr: "ignore",
    });
    const packets = () => {
      let n = 0;
      const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (let at = 0; at + 8 <= bytes.length; at += v.getUint32(at + 4, true)) {
        if (v.getUint32(at + 4, true) < 12) break;
        if (v.getUint32(at, true) === 6) n++;
      }
      return n;
    };
    const deadline = Date.now() + 15_000;
    while (packets() < 2 && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      bytes = new Uint8Array([...bytes, ...(value as Uint8Array)]);
    }
    await traffic.exited;
    expect(new DataView(bytes.buffer).getUint32(0, true)).toBe(0x0a0d0d0a);
    expect(new TextDecoder().decode(bytes)).toContain("r1:eth1");
    expect(packets()).toBeGreaterThanOrEqual(2);
    stop.abort();
    // The reader gone, the capture stops: no tcpdump left for it.
    await waitFor(
      () => sh("pgrep -f '[t]cpdump -U -n -i eth1 -w -' || true").stdout.trim() === "",
      10_000,
      "the capture to stop",
    );
  });

  test("a terminal's WebSocket from another site's page, or by another Host name, is refused", async () => {
    const u = new URL(url);
    const foreign = new WebSocket(`ws://${u.host}/terminal/r1/ws`, {
      headers: { Origin: "http://evil.example" },
    } as unknown as string[]);
    const outcome = await new Promise<string>((resolve) => {
      foreign.addEventListener("open", () => resolve("open"));
      foreign.addEventListener("error", () => resolve("refused"));
      foreign.addEventListener("close", () => resolve("refused"));
    });
    expect(outcome).toBe("refused");
    const { connect } = await import("node:net");
    const s = connect({ host: u.hostname, port: Number(u.port) });
    let answer = "";
    s.on("data", (d: Buffer) => {
      answer += d.toString();
    });
    s.write(`GET /terminal/r1 HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n`);
    await new Promise((r) => s.once("close", r));
    expect(answer).toMatch(/^HTTP\/1\.1 421/);
  });

  test("lab stop, docker stop and lab down --node-filter show on the page without a reload", async () => {
    expect(lab(["stop", "-t", file, "-n", "r3"]).code).toBe(0);
    await showsState("r3", "exited");
    sh(`docker stop -t 0 clab-${t.name}-r4`);
    await showsState("r4", "exited");
    expect(lab(["down", "-t", file, "--node-filter", "r5"]).code).toBe(0);
    await showsState("r5", "not deployed");
    expect(lab(["start", "-t", file, "-n", "r3"]).code).toBe(0);
    await showsState("r3", "running");
    expect(await stateOnPage("r1")).toBe("running");
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, "graph.png") });
    expect(consoleErrors).toEqual([]);
  });

  test("a stopped node's terminal offers Start node, which starts it; another site's POST cannot", async () => {
    // r4 was stopped behind lab's back above.
    const origin = new URL(url).origin;
    const running = () => sh(`docker inspect -f '{{.State.Running}}' clab-${t.name}-r4`).stdout.trim();
    expect(running()).toBe("false");
    const forged = await fetch(`${origin}/api/nodes/r4/start`, {
      method: "POST",
      headers: { origin: "http://evil.example" },
    });
    expect(forged.status).toBe(403);
    expect(running()).toBe("false");
    const p = await browser.newPage();
    try {
      await p.goto(`${origin}/terminal/r4`, { waitUntil: "load" });
      const start = await p.waitForSelector('aria/Start node[role="button"]', { visible: true, timeout: 15_000 });
      await start?.click();
      await waitFor(() => running() === "true", 20_000, "r4 started from its terminal page");
      await showsState("r4", "running");
    } finally {
      await p.close();
    }
  });
});

describe("exports", () => {
  test("--dot renders with graphviz and holds every node and edge", () => {
    const r = lab(["graph", "-t", file, "--dot", "--output", "-"]);
    expect(r.code).toBe(0);
    for (const n of nodes) expect(r.stdout).toContain(`"${n}" [label=`);
    expect(r.stdout.match(/ -- /g)).toHaveLength(links.length);
    const svg = sh(`dot -Tsvg`, { input: r.stdout });
    expect(svg.code).toBe(0);
    expect(svg.stdout).toContain("<svg");
  });

  test("--mermaid parses with mermaid's own parser; --drawio is well-formed XML with a cell per node and link", async () => {
    const mermaid = lab(["graph", "-t", file, "--mermaid", "--mermaid-direction", "LR", "--output", "-"]).stdout;
    expect(mermaid).toContain("graph LR");
    const drawio = lab(["graph", "-t", file, "--drawio", "--output", "-"]).stdout;
    const check = await browser.newPage();
    try {
      await check.addScriptTag({ path: join(root, "node_modules/mermaid/dist/mermaid.min.js") });
      const parsed = await check.evaluate(async (text: string) => {
        const m = (globalThis as unknown as { mermaid: { parse(t: string): Promise<unknown> } }).mermaid;
        try {
          return { ok: !!(await m.parse(text)) };
        } catch (e) {
          return { ok: false, error: String(e) };
        }
      }, mermaid);
      expect(parsed).toEqual({ ok: true });
      const xml = await check.evaluate((text: string) => {
        const doc = new DOMParser().parseFromString(text, "application/xml");
        return {
          error: doc.querySelector("parsererror")?.textContent ?? "",
          vertices: doc.querySelectorAll('mxCell[vertex="1"]').length,
          edges: doc.querySelectorAll('mxCell[edge="1"]').length,
        };
      }, drawio);
      expect(xml).toEqual({ error: "", vertices: nodes.length, edges: links.length });
    } finally {
      await check.close();
    }
  });

  test("--format json holds nodes, links and positions; the default file is Containerlab's place", () => {
    const g = JSON.parse(lab(["graph", "-t", file, "-f", "json", "--output", "-"]).stdout);
    expect(g.nodes).toHaveLength(10);
    expect(g.links).toHaveLength(links.length);
    expect(g.nodes.every((n: { position?: { x: number } }) => typeof n.position?.x === "number")).toBe(true);
    expect(lab(["graph", "-t", file, "--dot"]).code).toBe(0);
    expect(readFileSync(join(t.dir, `clab-${t.name}`, "graph", "graph.dot"), "utf8")).toContain(`graph "${t.name}"`);
  });
});

describe("bad input", () => {
  test("a port already in use, and a lab that does not exist: one line each", async () => {
    const busy = new URL(url).port;
    const r = lab(["graph", "-t", file, "--srv", `127.0.0.1:${busy}`]);
    expect(r.code).toBe(6);
    expect(errorLines(r.stderr)).toEqual([
      expect.stringContaining(`cannot serve on 127.0.0.1:${busy}: the address is in use`),
    ]);
    const none = lab(["graph", "--name", "no-such-lab-anywhere"]);
    expect(none.code).toBe(5);
    expect(errorLines(none.stderr)).toEqual([expect.stringContaining("lab no-such-lab-anywhere is not deployed")]);
  });
});
