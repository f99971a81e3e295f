// Start-up, felt on every call and every TAB: lab's help, a command's help and the completion entry
// point against a compiled hello-world built in the same run (target ≤ 2×), and lab inspect --all
// against docker ps with the same label filter (target ≤ 1.5×). Runs are interleaved; medians.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const LAB = process.env.LAB_BIN ?? "dist/lab";
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const dir = mkdtempSync(join(tmpdir(), "lab-bench-startup-"));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

try {
  writeFileSync(join(dir, "hello.ts"), 'console.log("hello");\n');
  const built = spawnSync(
    process.execPath,
    ["build", "--compile", join(dir, "hello.ts"), "--outfile", join(dir, "hello")],
    {
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  if (built.status !== 0) throw new Error("cannot build the hello-world");
  const contenders: [string, string[]][] = [
    ["hello-world (bun build --compile)", [join(dir, "hello")]],
    ["lab --help", [LAB, "--help"]],
    ["lab up --help", [LAB, "up", "--help"]],
    ["lab __complete tools netem s (one TAB)", [LAB, "__complete", "tools", "netem", "s"]],
    ["lab inspect --all", [LAB, "inspect", "--all"]],
    ["docker ps -a --filter label=containerlab", ["docker", "ps", "-a", "--filter", "label=containerlab"]],
  ];
  const times = contenders.map(() => [] as number[]);
  for (let i = 0; i < RUNS; i++)
    for (const [k, [, cmd]] of contenders.entries()) {
      const t0 = performance.now();
      spawnSync(cmd[0] as string, cmd.slice(1), { stdio: "ignore" });
      (times[k] as number[]).push(performance.now() - t0);
    }
  const m = times.map(median);
  const [hello, , , , inspect, docker] = m as [number, number, number, number, number, number];
  for (const [k, [name]] of contenders.entries()) {
    const ms = m[k] as number;
    let note = "";
    if (k >= 1 && k <= 3)
      note = `= ${(ms / hello).toFixed(2)}× hello-world   target ≤ 2×: ${ms / hello <= 2 ? "met" : "NOT met"}`;
    if (k === 4)
      note = `= ${(inspect / docker).toFixed(2)}× docker ps   target ≤ 1.5×: ${inspect / docker <= 1.5 ? "met" : "NOT met"}`;
    console.log(`${name.padEnd(44)} ${ms.toFixed(1).padStart(6)} ms   ${note}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
