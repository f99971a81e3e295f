// Changing a running lab (issue #11), against the same change by hand where one exists, in the
// same run on the same engine:
//   - lab restart -n of a node with 4 links vs docker restart of its container: what lab adds
//     (target ≤ 0.25 s; it was ≤ 1.3×, which moved with the engine's own time: README, Performance)
//   - adding one node (and a link) to a running 50-node lab vs deploying a one-node lab (≤ 2×)
//   - a no-op apply of the 50-node lab (≤ 1 s)
// Medians of BENCH_RUNS runs (default 5).

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const LAB = process.env.LAB_BIN ?? "dist/lab";
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const IMAGE = "lab-test/linux:1";
const stamp = Date.now().toString(36);
const dir = mkdtempSync(join(tmpdir(), "lab-bench-change-"));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function timed(cmd: string[]): Promise<number> {
  const t0 = performance.now();
  const proc = Bun.spawn(cmd, { stdout: "ignore", stderr: "pipe" });
  const [code, err] = [await proc.exited, await new Response(proc.stderr).text()];
  if (code !== 0) throw new Error(`${cmd.join(" ")} failed: ${err}`);
  return (performance.now() - t0) / 1000;
}

function topology(name: string, third: number, nodes: string[], links: [string, string][]): string {
  return [
    `name: ${name}`,
    `mgmt: { network: ${name}, ipv4-subnet: 172.31.${third}.0/24 }`,
    "topology:",
    `  defaults: { image: ${IMAGE}, privileged: false, cap-add: [NET_ADMIN] }`,
    "  nodes:",
    ...nodes.map((n) => `    ${n}: {}`),
    ...(links.length ? ["  links:", ...links.map(([a, b]) => `    - endpoints: ["${a}", "${b}"]`)] : []),
    "",
  ].join("\n");
}

const verdict = (ratio: number, target: number) => `target ≤ ${target}×: ${ratio <= target ? "met" : "NOT met"}`;
const labs: string[] = [];

try {
  // 1. A node with 4 links: lab restart keeps them; docker restart drops them.
  {
    const name = `bench-rs-${stamp}`;
    labs.push(name);
    const file = join(dir, "restart.clab.yml");
    const peers = ["p1", "p2", "p3", "p4"];
    writeFileSync(
      file,
      topology(
        name,
        241,
        ["c", ...peers],
        peers.map((p, i) => [`c:eth${i + 1}`, `${p}:eth1`]),
      ),
    );
    await timed([LAB, "up", "-t", file]);
    const lab: number[] = [];
    const docker: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      lab.push(await timed([LAB, "restart", "--name", name, "-n", "c"]));
      docker.push(await timed(["docker", "restart", `clab-${name}-c`]));
      // docker restart lost the links: put them back for the next lab run.
      await timed([LAB, "start", "--name", name, "-n", "c"]);
    }
    const [l, d] = [median(lab), median(docker)];
    // What lab adds to the engine's restart: its start-up and the 4 link ends moved out of the
    // node and back (the kernel waits for an RCU grace period per move), which docker restart
    // does not do (it loses the links).
    const added = l - d;
    console.log(
      `restart a node with 4 links: lab restart ${l.toFixed(2)}s vs docker restart ${d.toFixed(2)}s (${(l / d).toFixed(2)}×), lab adds ${added.toFixed(2)}s   target ≤ 0.25 s: ${added <= 0.25 ? "met" : "NOT met"}`,
    );
  }

  // 2 and 3. A 50-node lab: add one node with a link, then apply the same topology again.
  {
    const name = `bench-ap-${stamp}`;
    labs.push(name);
    const nodes = Array.from({ length: 50 }, (_, i) => `n${i + 1}`);
    const links = nodes.slice(1).map((n, i): [string, string] => [`n${i + 1}:eth${i === 0 ? 1 : 2}`, `${n}:eth1`]);
    const base = join(dir, "apply.clab.yml");
    const more = join(dir, "apply-more.clab.yml");
    writeFileSync(base, topology(name, 242, nodes, links));
    writeFileSync(more, topology(name, 242, [...nodes, "n51"], [...links, ["n1:eth9", "n51:eth1"]]));
    await timed([LAB, "up", "-t", base]);
    const add: number[] = [];
    const noop: number[] = [];
    const single: number[] = [];
    const one = join(dir, "one.clab.yml");
    const oneName = `bench-one-${stamp}`;
    labs.push(oneName);
    writeFileSync(one, topology(oneName, 243, ["a"], []));
    for (let i = 0; i < RUNS; i++) {
      add.push(await timed([LAB, "up", "-t", more]));
      noop.push(await timed([LAB, "up", "-t", more]));
      await timed([LAB, "up", "-t", base]);
      single.push(await timed([LAB, "up", "-t", one]));
      await timed([LAB, "down", "-t", one, "--cleanup"]);
    }
    const [a, s, n] = [median(add), median(single), median(noop)];
    console.log(
      `add one node to a running 50-node lab: ${a.toFixed(2)}s vs deploying a one-node lab ${s.toFixed(2)}s = ${(a / s).toFixed(2)}×   ${verdict(a / s, 2)}`,
    );
    console.log(`no-op apply of the 50-node lab: ${n.toFixed(2)}s   target ≤ 1 s: ${n <= 1 ? "met" : "NOT met"}`);
  }
} finally {
  for (const name of labs) Bun.spawnSync([LAB, "down", "--name", name, "--cleanup"]);
  rmSync(dir, { recursive: true, force: true });
}
