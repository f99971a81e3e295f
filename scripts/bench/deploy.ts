// lab up / lab down against the engine's own CLI (docker or podman) doing the same containers in
// parallel (no links), in the same run on the same engine. Prints times, ratios, lab's own CPU time
// and peak RSS.
//   bun scripts/bench/deploy.ts [sizes, e.g. 20:30,100:150] [docker|podman]

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";

const LAB = process.env.LAB_BIN ?? "dist/lab";
const IMAGE = "lab-test/linux:1";
const sizes = (process.argv[2] ?? "20:30,100:150").split(",").map((s) => s.split(":").map(Number) as [number, number]);
const workers = availableParallelism() * 2;
const cli = process.argv[3] ?? "docker";
const runtime = ["--runtime", cli];

function topology(name: string, nodes: number, links: number, third: number): string {
  const next = new Map<number, number>();
  const iface = (n: number) => {
    const i = (next.get(n) ?? 0) + 1;
    next.set(n, i);
    return `eth${i}`;
  };
  const lines = [
    `name: ${name}`,
    `mgmt: { network: ${name}, ipv4-subnet: 172.31.${third}.0/24, ipv6-subnet: 3fff:172:31:${third}::/64 }`,
    "topology:",
    `  defaults: { image: ${IMAGE}, privileged: false, cap-add: [NET_ADMIN] }`,
    "  nodes:",
  ];
  for (let i = 1; i <= nodes; i++) lines.push(`    n${i}: {}`);
  lines.push("  links:");
  for (let l = 0; l < links; l++) {
    const a = (l % nodes) + 1;
    const b = ((l * 7 + 3) % nodes) + 1 === a ? (a % nodes) + 1 : ((l * 7 + 3) % nodes) + 1;
    lines.push(`    - endpoints: ["n${a}:${iface(a)}", "n${b}:${iface(b)}"]`);
  }
  return `${lines.join("\n")}\n`;
}

async function timed(cmd: string[]): Promise<{ seconds: number; cpu: number; rss: number }> {
  const t0 = performance.now();
  const proc = Bun.spawn(cmd, { stdout: "ignore", stderr: "pipe" });
  const [code, err] = [await proc.exited, await new Response(proc.stderr).text()];
  if (code !== 0) throw new Error(`${cmd.join(" ")} failed: ${err}`);
  const usage = proc.resourceUsage();
  return {
    seconds: (performance.now() - t0) / 1000,
    cpu: usage ? Number(usage.cpuTime.user + usage.cpuTime.system) / 1e6 : Number.NaN,
    rss: usage ? usage.maxRSS / 1024 / 1024 : Number.NaN,
  };
}

const sh = (script: string) => timed(["bash", "-c", script]);

const rows: string[] = [];
for (const [nodes, links] of sizes) {
  const name = `bench-${nodes}-${Date.now().toString(36)}`;
  const dir = mkdtempSync(join(tmpdir(), "lab-bench-"));
  const file = join(dir, "bench.clab.yml");
  const third = 200 + (nodes % 50);
  writeFileSync(file, topology(name, nodes, links, third));
  try {
    const up = await timed([LAB, "up", ...runtime, "-t", file, "--max-workers", String(workers)]);
    const down = await timed([LAB, "down", ...runtime, "-t", file, "--cleanup", "--max-workers", String(workers)]);
    const net = `${name}-${cli}`;
    const dockerUp = await sh(
      `${cli} network create --ipv6 --subnet 172.31.${third}.0/24 --subnet 3fff:172:31:${third}::/64 ${net} >/dev/null && ` +
        `seq 1 ${nodes} | xargs -P ${workers} -I{} ${cli} run -d --name ${net}-{} --network ${net} --cap-add NET_ADMIN --label lab-bench=${net} ${IMAGE} >/dev/null`,
    );
    const dockerDown = await sh(
      `${cli} ps -aq --filter label=lab-bench=${net} | xargs -r -P ${workers} -n 1 ${cli} rm -f >/dev/null && ${cli} network rm ${net} >/dev/null`,
    );
    rows.push(
      [
        `${cli}: ${nodes} nodes / ${links} links`,
        `up ${up.seconds.toFixed(2)}s vs ${cli} ${dockerUp.seconds.toFixed(2)}s = ${(up.seconds / dockerUp.seconds).toFixed(2)}×`,
        `down ${down.seconds.toFixed(2)}s vs ${cli} ${dockerDown.seconds.toFixed(2)}s = ${(down.seconds / dockerDown.seconds).toFixed(2)}×`,
        `lab CPU per 100 nodes: up ${((up.cpu * 100) / nodes).toFixed(2)}s, down ${((down.cpu * 100) / nodes).toFixed(2)}s`,
        `peak RSS ${Math.max(up.rss, down.rss).toFixed(0)} MB`,
      ].join("   "),
    );
    console.log(rows.at(-1));
  } finally {
    Bun.spawnSync([LAB, "down", ...runtime, "--name", name, "--cleanup"]);
    rmSync(dir, { recursive: true, force: true });
  }
}
