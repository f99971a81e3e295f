// lab graph: how long headless Chromium takes from navigation until the page is drawn and
// interactive, on the Clos fabrics `lab generate` writes with 100 and 250 nodes (targets ≤ 1.5 s and
// ≤ 3 s; the server lays the lab out once when it starts, so this is the page's own work), and how
// long lab graph --dot of a 200-node, 300-link file takes (target ≤ 150 ms). Medians of BENCH_RUNS
// runs (default 5). Labs are drawn from their files, not deployed.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../test/helpers/env.ts";
import { launchChromium, startGraph } from "../../test/helpers/graph-page.ts";

const LAB = process.env.LAB_BIN ?? "dist/lab";
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const dir = mkdtempSync(join(tmpdir(), "lab-bench-graph-"));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

const nodes = Array.from({ length: 200 }, (_, i) => `n${i + 1}`);
const next = new Map<string, number>();
const iface = (n: string) => {
  const i = (next.get(n) ?? 0) + 1;
  next.set(n, i);
  return `eth${i}`;
};
const links: string[] = [];
for (let l = 0; l < 300; l++) {
  const a = nodes[l % 200] as string;
  let b = nodes[(l * 7 + 3) % 200] as string;
  if (b === a) b = nodes[(l + 1) % 200] as string;
  links.push(`    - endpoints: ["${a}:${iface(a)}", "${b}:${iface(b)}"]`);
}
const file = join(dir, "big.clab.yml");
writeFileSync(
  file,
  `name: bench-graph\ntopology:\n  defaults: { image: lab-test/linux:1 }\n  nodes:\n${nodes.map((n, i) => `    ${n}: { group: g${i % 8} }`).join("\n")}\n  links:\n${links.join("\n")}\n`,
);

/** Median time from navigation until the page is drawn and interactive, for FILE. */
async function pageLoad(file: string, browser: Awaited<ReturnType<typeof launchChromium>>): Promise<number> {
  const server = await startGraph([LAB], file, await freePort());
  try {
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const page = await browser.newPage();
      const t0 = performance.now();
      await page.goto(server.url, { waitUntil: "load" });
      await page.waitForFunction(() => document.documentElement.dataset.ready === "true", {
        timeout: 30_000,
        polling: 10,
      });
      times.push(performance.now() - t0);
      await page.close();
    }
    return median(times);
  } finally {
    await server.stop();
  }
}

/** A Clos as `lab generate` writes it (Containerlab's generate: tiers, every node to every node below). */
function clos(stages: string, name: string): string {
  const out = join(dir, `${name}.clab.yml`);
  const r = Bun.spawnSync(
    [LAB, "generate", "--name", name, "--nodes", stages, "--image", "ghcr.io/nokia/srlinux", "--file", out],
    {
      stderr: "pipe",
    },
  );
  if (r.exitCode !== 0) throw new Error(`lab generate failed: ${r.stderr}`);
  return out;
}

const browser = await launchChromium();
try {
  for (const [stages, nodes, target] of [
    ["2,8,90", 100, 1500],
    ["2,8,240", 250, 3000],
  ] as const) {
    const file = clos(stages, `bench-clos-${nodes}`);
    const links = (readFileSync(file, "utf8").match(/endpoints:/g) ?? []).length;
    const t = await pageLoad(file, browser);
    console.log(
      `graph page, generated Clos ${stages} (${nodes} nodes, ${links} links): drawn and interactive in ${(t / 1000).toFixed(2)} s   target ≤ ${target / 1000} s: ${t <= target ? "met" : "NOT met"}`,
    );
  }
  const dot: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = Bun.spawnSync([LAB, "graph", "-t", file, "--dot", "--output", "-"], { stdout: "ignore", stderr: "pipe" });
    dot.push(performance.now() - t0);
    if (r.exitCode !== 0) throw new Error(`lab graph --dot failed: ${r.stderr}`);
  }
  const d = median(dot);
  console.log(
    `lab graph --dot of a 200-node, 300-link file: ${d.toFixed(0)} ms   target ≤ 150 ms: ${d <= 150 ? "met" : "NOT met"}`,
  );
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
