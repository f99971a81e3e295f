// lab graph --edit in headless Chromium, driven as a user would: controls found by their accessible
// names, a node added from the keyboard, a link drawn between two nodes with the interface names
// the page proposes, Save (the file on disk keeps its comments, a backup beside it), Apply (the new
// node runs and the new link carries a ping). Then a new lab from an empty page, and the guards.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, ElementHandle, Page } from "puppeteer-core";
import { freePort, LAB, lab, sh } from "../helpers/env.ts";
import { type GraphServer, launchChromium, openGraphPage, startGraph } from "../helpers/graph-page.ts";
import { freeSubnet, labDir } from "../helpers/lab.ts";

const t = labDir("e2e-graph-edit");
const subnet = freeSubnet();
let file = "";
let original = "";
let server: GraphServer | undefined;
let browser: Browser | undefined;
let page: Page;
const consoleErrors: string[] = [];

/** A button found by its accessible name (puppeteer's ARIA query), inside `within` when given. */
async function byName(name: string, on: Page = page, within?: string): Promise<ElementHandle<Element>> {
  const scope = within ? await on.waitForSelector(within, { timeout: 10_000 }) : undefined;
  const query = `aria/${name}[role="button"]`;
  const el = scope
    ? await scope.waitForSelector(query, { timeout: 10_000 })
    : await on.waitForSelector(query, { timeout: 10_000 });
  if (!el) throw new Error(`no button named ${name}`);
  return el as ElementHandle<Element>;
}
const click = async (name: string, on: Page = page, within?: string) => (await byName(name, on, within)).click();
const dialogOpen = () => page.waitForSelector("#edit-dialog[open]", { timeout: 10_000 });
const dialogClosed = () =>
  page.waitForFunction(() => !document.querySelector("#edit-dialog")?.hasAttribute("open"), { timeout: 20_000 });
const nodesOnPage = () =>
  page.evaluate(() =>
    (window as any).labGraph
      .nodes(":childless")
      .not(".iflabel")
      .map((n: { id(): string }) => n.id())
      .sort(),
  );

beforeAll(async () => {
  file = t.write(
    "edit.clab.yml",
    `# A lab to grow from the page.
name: ${t.name} # its name
mgmt: { network: ${t.name}, ipv4-subnet: ${subnet.v4} }

topology:
  defaults:
    image: lab-test/linux:1 # the local stand-in
  nodes:
    # the first two routers
    r1:
      kind: linux
    r2:
      kind: linux
  links:
    - endpoints: ["r1:eth1", "r2:eth1"] # the first link
`,
  );
  original = readFileSync(file, "utf8");
  const up = lab(["up", "-t", file]);
  if (up.code !== 0) throw new Error(up.stderr);
  server = await startGraph(LAB, file, await freePort(), { extra: ["--edit"] });
  browser = await launchChromium();
  page = await openGraphPage(browser, server.url, consoleErrors);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  t.cleanup();
});

describe("lab graph --edit: building the lab from the page", () => {
  test("the toolbar's controls are there by their names", async () => {
    for (const name of ["Add node", "Add link", "Rename", "Delete", "Save", "Apply"])
      expect(await byName(name)).toBeTruthy();
    expect(await page.$eval("#edit-file", (e) => e.textContent)).toContain("edit.clab.yml");
  });

  test("Add node from the keyboard: Enter on the button, type the name, Enter submits", async () => {
    await (await byName("Add node")).focus();
    await page.keyboard.press("Enter");
    await dialogOpen();
    // The name field has the focus; the kind and image come from the lab's own nodes.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("edit-name");
    expect(await page.$eval("#edit-kind", (e) => (e as HTMLSelectElement).value)).toBe("linux");
    await page.evaluate(() => {
      (document.activeElement as HTMLInputElement).value = "";
    });
    await page.keyboard.type("r3");
    await page.keyboard.press("Enter");
    await dialogClosed();
    await page.waitForFunction(() => !(window as any).labGraph.getElementById("r3").empty(), { timeout: 10_000 });
    expect(await nodesOnPage()).toEqual(["r1", "r2", "r3"]);
    expect(await page.$eval("#edit-file", (e) => e.textContent)).toContain("unsaved changes");
  });

  test("Add link: the page proposes each end's next free interface by the kind's naming", async () => {
    await click("Add link");
    await dialogOpen();
    await page.select("#edit-a", "r2");
    await page.select("#edit-b", "r3");
    await page.waitForFunction(
      () =>
        (document.querySelector("#edit-ai") as HTMLInputElement).value === "eth2" &&
        (document.querySelector("#edit-bi") as HTMLInputElement).value === "eth1",
      { timeout: 10_000 },
    );
    await click("Add", page, "#edit-dialog");
    await dialogClosed();
    await page.waitForFunction(() => (window as any).labGraph.edges().length === 2, { timeout: 10_000 });
  });

  test("a change the topology cannot take is refused on the page, in one line", async () => {
    await click("Add link");
    await dialogOpen();
    await page.select("#edit-a", "r1");
    await page.select("#edit-b", "r2");
    await page.waitForFunction(() => (document.querySelector("#edit-ai") as HTMLInputElement).value !== "", {
      timeout: 10_000,
    });
    // r1's eth1 is taken by the first link.
    await page.$eval("#edit-ai", (e) => {
      (e as HTMLInputElement).value = "eth1";
    });
    await click("Add", page, "#edit-dialog");
    await page.waitForFunction(() => (document.querySelector(".edit-form-error")?.textContent ?? "") !== "", {
      timeout: 10_000,
    });
    expect(await page.$eval(".edit-form-error", (e) => e.textContent)).toContain("eth1");
    await click("Cancel", page, "#edit-dialog");
    await dialogClosed();
    expect(await page.evaluate(() => (window as any).labGraph.edges().length)).toBe(2);
  });

  test("a node moved with the arrow keys keeps its place as graph-posX/Y", async () => {
    await page.evaluate(() => (window as any).labGraph.getElementById("r1").emit("tap"));
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press("ArrowRight");
    await page.waitForFunction(() => document.querySelector("#edit-error")?.textContent === "", { timeout: 5_000 });
    await Bun.sleep(800); // the page sends a nudge 400 ms after the last key
  });

  test("Save: the file has the node and the link, its comments and order intact, the old file beside it", async () => {
    await click("Save");
    await page.waitForFunction(() => (document.querySelector("#edit-result")?.textContent ?? "").startsWith("saved"), {
      timeout: 10_000,
    });
    const text = readFileSync(file, "utf8");
    for (const line of original.split("\n").filter((l) => l.includes("#"))) expect(text).toContain(line);
    expect(text).toContain("    r3:\n      kind: linux\n");
    expect(text).toContain('    - endpoints: ["r2:eth2", "r3:eth1"]\n');
    expect(text).toMatch(/ {4}r1:\n {6}kind: linux\n {6}labels:\n {8}graph-posX: "-?\d+"\n {8}graph-posY: "-?\d+"\n/);
    expect(text.indexOf("r1:")).toBeLessThan(text.indexOf("r2:"));
    expect(readFileSync(`${file}.bak`, "utf8")).toBe(original);
    expect(lab(["validate", "-t", file]).code).toBe(0);
  });

  test("Apply shows lab up --dry-run's plan, then the new node runs and the new link carries a ping", async () => {
    await click("Apply");
    await dialogOpen();
    const plan = await page.$eval("#edit-plan", (e) => e.textContent ?? "");
    expect(plan).toContain("added nodes");
    expect(plan).toContain("r3");
    await click("Apply these changes", page, "#edit-dialog");
    await page.waitForFunction(() => /applied|is up/.test(document.querySelector("#edit-result")?.textContent ?? ""), {
      timeout: 90_000,
      polling: 200,
    });
    expect(sh(`docker inspect -f '{{.State.Running}}' clab-${t.name}-r3`).stdout.trim()).toBe("true");
    sh(`docker exec clab-${t.name}-r2 ip addr add 10.66.0.1/30 dev eth2`);
    sh(`docker exec clab-${t.name}-r3 ip addr add 10.66.0.2/30 dev eth1`);
    expect(sh(`docker exec clab-${t.name}-r2 ping -c 1 -W 2 10.66.0.2`).code).toBe(0);
    // The page follows: r3 shows running without a reload.
    await page.waitForFunction(
      () => document.querySelector('#node-table tr[data-node="r3"] td.state')?.textContent === "running",
      { timeout: 20_000 },
    );
    // The one refused change above answered 400 (Chromium logs that); nothing else went wrong.
    expect(consoleErrors.filter((e) => !e.includes("status of 400"))).toEqual([]);
  }, 120_000);
});

describe("lab graph --edit: a new lab and the guards", () => {
  test("a file that does not exist yet: an empty page, a node added, Save writes the file", async () => {
    const fresh = join(t.dir, "fresh.clab.yml");
    const s = await startGraph(LAB, fresh, await freePort(), { extra: ["--edit"] });
    const p = await (browser as Browser).newPage();
    try {
      await p.goto(s.url, { waitUntil: "load" });
      await p.waitForFunction(() => document.documentElement.dataset.ready === "true", { timeout: 15_000 });
      expect(await p.evaluate(() => (window as any).labGraph.nodes().length)).toBe(0);
      await click("Add node", p);
      await p.waitForSelector("#edit-dialog[open]");
      await p.$eval("#edit-name", (e) => {
        (e as HTMLInputElement).value = "a";
      });
      await p.select("#edit-kind", "linux");
      await p.$eval("#edit-image", (e) => {
        (e as HTMLInputElement).value = "lab-test/linux:1";
      });
      await click("Add", p, "#edit-dialog");
      await p.waitForFunction(() => !(window as any).labGraph.getElementById("a").empty(), { timeout: 10_000 });
      // A second node, renamed, then deleted: the Rename and Delete forms.
      await click("Add node", p);
      await p.waitForSelector("#edit-dialog[open]");
      await p.$eval("#edit-name", (e) => {
        (e as HTMLInputElement).value = "b";
      });
      await click("Add", p, "#edit-dialog");
      await p.waitForFunction(() => !(window as any).labGraph.getElementById("b").empty(), { timeout: 10_000 });
      await click("Rename", p);
      await p.waitForSelector("#edit-dialog[open]");
      await p.select("#edit-from", "b");
      await p.$eval("#edit-to", (e) => {
        (e as HTMLInputElement).value = "c";
      });
      await click("Rename", p, "#edit-dialog");
      await p.waitForFunction(() => !(window as any).labGraph.getElementById("c").empty(), { timeout: 10_000 });
      await click("Delete", p);
      await p.waitForSelector("#edit-dialog[open]");
      await p.select("#edit-what", "node:c");
      await click("Delete", p, "#edit-dialog");
      await p.waitForFunction(() => (window as any).labGraph.getElementById("c").empty(), { timeout: 10_000 });
      expect(existsSync(fresh)).toBe(false);
      await click("Save", p);
      await p.waitForFunction(() => (document.querySelector("#edit-result")?.textContent ?? "").startsWith("saved"), {
        timeout: 10_000,
      });
      expect(readFileSync(fresh, "utf8")).toBe(
        "name: fresh\n\ntopology:\n  nodes:\n    a:\n      kind: linux\n      image: lab-test/linux:1\n  links: []\n",
      );
    } finally {
      await p.close();
      await s.stop();
    }
  });

  test("a change from another site's page is refused; the file is untouched", async () => {
    const before = readFileSync(file, "utf8");
    const r = await fetch(new URL("/edit/change", (server as GraphServer).url), {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://evil.example" },
      body: JSON.stringify({ op: { op: "delete-node", name: "r1" } }),
    });
    expect(r.status).toBe(403);
    const plain = await fetch(new URL("/edit/save", (server as GraphServer).url), { method: "POST", body: "{}" });
    expect(plain.status).toBe(403);
    expect(readFileSync(file, "utf8")).toBe(before);
  });

  test("--edit beyond loopback without the page's login: one line, nothing served", () => {
    const r = lab(["graph", "--edit", "-t", file, "--srv", "0.0.0.0:0"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("--edit serves a page that changes the lab");
    expect(r.stderr).toContain("LAB_CONSOLE_PASSWORD");
  });

  test("--edit with an export, or without -t: a usage error", () => {
    const r = lab(["graph", "--edit", "-t", file, "--dot"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--edit edits one topology file");
  });
});
