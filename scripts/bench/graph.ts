// lab graph with a 200-node, 300-link lab drawn from its file (not deployed): how long headless
// Chromium takes from navigation until the page is interactive (target ≤ 1.5 s), and how long
// lab graph --dot takes (target ≤ 150 ms). Medians of BENCH_RUNS runs (default 5).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer from "puppeteer-core";

const LAB = process.env.LAB_BIN ?? "dist/lab";
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const dir = mkdtempSync(join(tmpdir(), "lab-bench-graph-"));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

const free = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

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

const server = Bun.spawn([LAB, "graph", "-t", file, "--srv", `127.0.0.1:${await free()}`], {
  stdout: "ignore",
  stderr: "pipe",
});
const browser = await puppeteer.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu"],
});
try {
  const reader = (server.stderr as ReadableStream<Uint8Array>).getReader();
  let said = "";
  while (!said.includes("serving")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`lab graph did not start: ${said}`);
    said += new TextDecoder().decode(value);
  }
  const url = /http:\/\/\S+/.exec(said)?.[0] as string;
  const interactive: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const page = await browser.newPage();
    const t0 = performance.now();
    await page.goto(url, { waitUntil: "load" });
    await page.waitForFunction(() => document.documentElement.dataset.ready === "true", {
      timeout: 30_000,
      polling: 10,
    });
    interactive.push(performance.now() - t0);
    await page.close();
  }
  const dot: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = Bun.spawnSync([LAB, "graph", "-t", file, "--dot", "--output", "-"], { stdout: "ignore", stderr: "pipe" });
    dot.push(performance.now() - t0);
    if (r.exitCode !== 0) throw new Error(`lab graph --dot failed: ${r.stderr}`);
  }
  const [p, d] = [median(interactive), median(dot)];
  console.log(
    `graph, 200 nodes / 300 links from a file: page interactive in ${(p / 1000).toFixed(2)} s   target ≤ 1.5 s: ${p <= 1500 ? "met" : "NOT met"}`,
  );
  console.log(`lab graph --dot of it: ${d.toFixed(0)} ms   target ≤ 150 ms: ${d <= 150 ? "met" : "NOT met"}`);
} finally {
  await browser.close();
  server.kill("SIGINT");
  await server.exited;
  rmSync(dir, { recursive: true, force: true });
}
