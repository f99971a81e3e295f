// Engine-client overhead against the docker CLI, in the same run on the same engine:
//   - `lab version` vs `docker version` (process start + /_ping + /version)
//   - one exec round trip through lab's client vs `docker exec`
// Prints medians and ratios; asserts nothing (timings are not tests).
import { spawnSync } from "node:child_process";
import { createDockerClient } from "../../runtime/docker/index.ts";
import { getPlatform } from "../../runtime/platform/index.ts";

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

function timeCommand(cmd: string[]): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = spawnSync(cmd[0] as string, cmd.slice(1), { stdio: "ignore" });
    if (r.status !== 0) throw new Error(`${cmd.join(" ")} failed`);
    times.push(performance.now() - t0);
  }
  return median(times);
}

async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

const row = (name: string, lab: number, peer: number) =>
  console.log(
    `${name.padEnd(28)} lab ${lab.toFixed(1).padStart(7)} ms   docker ${peer.toFixed(1).padStart(7)} ms   ratio ${(lab / peer).toFixed(2)}×`,
  );

const docker = createDockerClient(await getPlatform());
const name = `lab-bench-${Date.now().toString(36)}`;
const { Id } = await docker.containers.create(name, { Image: "lab-test/linux:1", Labels: { "lab-bench": "1" } });
try {
  await docker.containers.start(Id);
  console.log(`engine client benchmark, ${RUNS} runs each, medians`);
  row("version (whole process)", timeCommand(["dist/lab", "version"]), timeCommand(["docker", "version"]));
  row("exec `true`", await timeAsync(() => docker.exec.run(Id, ["true"])), timeCommand(["docker", "exec", Id, "true"]));
} finally {
  await docker.containers.remove(Id);
}
