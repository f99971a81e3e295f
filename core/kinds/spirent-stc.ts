import { availableParallelism } from "node:os";
import type { KindFile } from "./types.ts";
import { container } from "./vrnetlab.ts";

const HELP = "portX (where X is 1-9)";
const MEMORY_LIMIT = "4294967296"; // 4 GiB, what STC believes it has

/**
 * The cgroup v1 tree STC's boot scripts look for (they refuse a cgroup v2 host), faked in the node
 * dir as Containerlab's createCgroupV1Files does: the controllers' files with plausible values, and
 * cpu and cpuacct as links to the joint controller, which the scripts test for separately.
 */
export function stcCgroupFiles(cpus: number): KindFile[] {
  const controllers: Record<string, Record<string, string>> = {
    memory: { "memory.limit_in_bytes": MEMORY_LIMIT, "memory.usage_in_bytes": "0" },
    devices: { "devices.list": "a *:* rwm" },
    // Containerlab writes 0-NumCPU (one past the last CPU); STC only checks that it parses.
    cpuset: { "cpuset.cpus": `0-${cpus}`, "cpuset.mems": "0" },
    "cpu,cpuacct": {
      "cpu.shares": "1024",
      "cpu.cfs_quota_us": "-1",
      "cpu.cfs_period_us": "100000",
      "cpu.rt_runtime_us": "0",
      "cpu.rt_period_us": "1000000",
      "cpuacct.usage": "0",
    },
  };
  return [
    ...Object.entries(controllers).flatMap(([dir, files]) =>
      Object.entries(files).map(([name, value]) => ({ path: `cgroup-v1/${dir}/${name}`, text: `${value}\n` })),
    ),
    { path: "cgroup-v1/cpu", text: "", link: "cpu,cpuacct" },
    { path: "cgroup-v1/cpuacct", text: "", link: "cpu,cpuacct" },
    // Also read at /cgroup/memory/.
    { path: "cgroup-v1/memory.limit_in_bytes", text: `${MEMORY_LIMIT}\n` },
  ];
}

/**
 * Spirent TestCenter virtual (Containerlab: nodes/spirent_stc): container mode, a fake cgroup v1
 * tree over /sys/fs/cgroup, and healthy while its capture process runs.
 */
export default container({
  name: "spirent_stc",
  aliases: [],
  env: { SPIRENT_ADMIN: "--mode container", LIBVIRT_LXC_CMDLINE: "SPIRENT_ADMIN=--mode container" },
  healthcheck: { test: ["CMD-SHELL", "pgrep -f capture_0"], interval: 10, timeout: 5, retries: 3 },
  binds: [
    "__clabNodeDir__/cgroup-v1:/sys/fs/cgroup",
    "__clabNodeDir__/cgroup-v1/memory.limit_in_bytes:/cgroup/memory/memory.limit_in_bytes",
  ],
  files: () => stcCgroupFiles(availableParallelism()),
  interfaces: {
    help: HELP,
    map: (name) => {
      const m = /port(?<port>[1-9])/.exec(name);
      return m ? `eth${m.groups?.port}` : { error: `interface name "${name}" doesn't match ${HELP}` };
    },
  },
});
