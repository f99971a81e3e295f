// One lab over two hosts (issue #15), with host 2 from scripts/host2.sh (a real dockerd and sshd in
// their own namespaces, reached over SSH and a veth underlay), in the same run:
//   - lab up of 20 nodes split over the two hosts with 10 cross-host links, against the slower host's
//     own single-host lab up of its 10 nodes (host 2's run inside host 2, on its own engine) (≤ 1.3×).
//     Both "hosts" share this machine's 2 cores, and container starts are CPU-bound: so the shares
//     are also deployed at the same time, each host on its own, which is what two machines deploying
//     their halves at once cost here; the isolated figure (one host at a time, all cores) is printed too.
//   - TCP throughput across a cross-host link (VXLAN) against a plain veth between two nodes here
//     (≥ 0.7×); both hosts share this machine's 2 cores, so the ratio is what counts
// Medians of BENCH_RUNS runs (default 3).

import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const LAB = process.env.LAB_BIN ?? `${process.cwd()}/dist/lab`;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const MB = Number(process.env.BENCH_MB ?? 400);
const IMAGE = "lab-test/linux:1";
const SCRIPT = join(import.meta.dir, "../host2.sh");
const stamp = Date.now().toString(36).slice(-5);
const host2 = `lhb${stamp}`;
const home = mkdtempSync(join(tmpdir(), "lab-bench-mh-"));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const env = { ...process.env, HOME: home, LAB_STATE_DIR: join(home, "state"), SSH_AUTH_SOCK: "" };

function sh(cmd: string): string {
  const r = Bun.spawnSync(["bash", "-c", cmd], { env, stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`${cmd}: ${r.stderr.toString()}`);
  return r.stdout.toString();
}

async function timed(cmd: string[], options: { quiet?: boolean } = {}): Promise<number> {
  const t0 = performance.now();
  const proc = Bun.spawn(cmd, { stdout: "ignore", stderr: "pipe", env });
  const [code, err] = [await proc.exited, await new Response(proc.stderr).text()];
  if (code !== 0 && !options.quiet) throw new Error(`${cmd.join(" ")} failed: ${err}`);
  return (performance.now() - t0) / 1000;
}

function topology(name: string, nodes: { name: string; far?: boolean }[], links: [string, string][]): string {
  return [
    `name: ${name}`,
    `mgmt: { network: ${name}, ipv4-subnet: 172.31.236.0/24 }`,
    "topology:",
    `  defaults: { image: ${IMAGE}, privileged: false, cap-add: [NET_ADMIN] }`,
    "  nodes:",
    ...nodes.map((n) => `    ${n.name}: {${n.far ? " labels: { lab.host: h2 } " : ""}}`),
    ...(links.length ? ["  links:", ...links.map(([a, b]) => `    - endpoints: ["${a}", "${b}"]`)] : []),
    "",
  ].join("\n");
}

const third = 100 + Math.floor(Math.random() * 100);
const [hostAddr, peerAddr] = [`10.214.${third}.1`, `10.214.${third}.2`];
const state = `/var/lib/lab-host2/${host2}.state`;
const labs: string[] = [];
let started = false;
try {
  mkdirSync(join(home, ".ssh"), { mode: 0o700 });
  sh(`ssh-keygen -q -t ed25519 -N '' -f ${home}/.ssh/id_ed25519`);
  sh(`bash ${SCRIPT} start ${host2} ${hostAddr} ${peerAddr} ${home}/.ssh/id_ed25519.pub`);
  started = true;
  sh(`ssh-keyscan -T 5 ${peerAddr} > ${home}/.ssh/known_hosts 2>/dev/null`);
  sh(`docker save ${IMAGE} lab-test/base:1 | bash ${SCRIPT} docker ${host2} load -q`);
  writeFileSync(join(home, "lab-hosts.yml"), `h2: { engine: ssh://root@${peerAddr} }\n`);

  // 1. Deploy time: 10 nodes here, 10 on h2, 10 links between them.
  const split = join(home, "split.clab.yml");
  const name = `bmh${stamp}`;
  labs.push(name);
  const nodes = Array.from({ length: 20 }, (_, i) => ({ name: `n${i + 1}`, far: i >= 10 }));
  writeFileSync(
    split,
    topology(
      name,
      nodes,
      Array.from({ length: 10 }, (_, i): [string, string] => [`n${i + 1}:eth1`, `n${i + 11}:eth1`]),
    ),
  );
  // Each host's share alone, on its own engine: here, and inside host 2 (its own file system view).
  const here = join(home, "here.clab.yml");
  writeFileSync(here, topology(`${name}a`, nodes.slice(0, 10), []));
  mkdirSync(`${state}/bench`, { recursive: true });
  const there = `${state}/bench/there.clab.yml`;
  writeFileSync(
    there,
    topology(
      `${name}b`,
      nodes.slice(10).map((n) => ({ name: n.name })),
      [],
    ),
  );
  // Host 2 has its own /tmp, /run and /root: a checkout (or CI's) there is out of its sight, so it
  // runs a copy of the binary kept in its state directory, which both sides see.
  const labThere = `${state}/bench/lab`;
  copyFileSync(LAB, labThere);
  chmodSync(labThere, 0o755);
  const inHost2 = (args: string) => ["bash", "-c", `nsenter -t $(cat ${state}/pid) -m -p -n -u -- ${labThere} ${args}`];
  const multi: number[] = [];
  const local: number[] = [];
  const remote: number[] = [];
  const together: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    multi.push(await timed([LAB, "up", "-t", split]));
    await timed([LAB, "down", "--name", name, "--cleanup"]);
    local.push(await timed([LAB, "up", "-t", here]));
    await timed([LAB, "down", "--name", `${name}a`, "--cleanup"]);
    remote.push(await timed(inHost2(`up -t ${there}`)));
    await timed(inHost2(`down -t ${there} --cleanup`));
    // Each host its own share, at the same time: the slower one.
    together.push(Math.max(...(await Promise.all([timed([LAB, "up", "-t", here]), timed(inHost2(`up -t ${there}`))]))));
    await timed([LAB, "down", "--name", `${name}a`, "--cleanup"]);
    await timed(inHost2(`down -t ${there} --cleanup`));
  }
  const [m, l, r, both] = [median(multi), median(local), median(remote), median(together)];
  const slower = Math.max(l, r);
  console.log(
    `lab up of 20 nodes over 2 hosts, 10 links between them: ${m.toFixed(2)}s vs the slower host's own 10 nodes deployed at the same time ${both.toFixed(2)}s = ${(m / both).toFixed(2)}×   target ≤ 1.3×: ${m / both <= 1.3 ? "met" : "NOT met"}`,
  );
  console.log(
    `  (one host at a time, all cores each: here ${l.toFixed(2)}s, host 2 ${r.toFixed(2)}s; the split lab ${(m / slower).toFixed(2)}× the slower: the two engines share 2 cores)`,
  );

  // 2. Throughput: a tunnel between the hosts against a veth between two nodes here.
  const tp = join(home, "tp.clab.yml");
  const tpName = `btp${stamp}`;
  labs.push(tpName);
  writeFileSync(
    tp,
    topology(
      tpName,
      [{ name: "a" }, { name: "b" }, { name: "c", far: true }],
      [
        ["a:eth1", "b:eth1"],
        ["a:eth2", "c:eth1"],
      ],
    ),
  );
  await timed([LAB, "up", "-t", tp]);
  const node = (n: string) => `clab-${tpName}-${n}`;
  sh(`docker exec ${node("a")} ip addr add 10.70.1.1/24 dev eth1`);
  sh(`docker exec ${node("b")} ip addr add 10.70.1.2/24 dev eth1`);
  sh(`docker exec ${node("a")} ip addr add 10.70.2.1/24 dev eth2`);
  sh(`bash ${SCRIPT} docker ${host2} exec ${node("c")} ip addr add 10.70.2.2/24 dev eth1`);
  /** Seconds to push MB megabytes over TCP from a to a listener (busybox nc) at `to`. */
  const push = async (listen: string[], to: string) => {
    const server = Bun.spawn([...listen, "sh", "-c", "nc -l -p 5001 > /dev/null"], { env });
    await Bun.sleep(300);
    const t = await timed([
      "docker",
      "exec",
      node("a"),
      "sh",
      "-c",
      `dd if=/dev/zero bs=65536 count=${MB * 16} 2>/dev/null | nc ${to} 5001`,
    ]);
    server.kill();
    await server.exited;
    return t;
  };
  const veth: number[] = [];
  const tunnel: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    veth.push(await push(["docker", "exec", node("b")], "10.70.1.2"));
    tunnel.push(await push(["bash", SCRIPT, "docker", host2, "exec", node("c")], "10.70.2.2"));
  }
  const [v, t] = [MB / median(veth), MB / median(tunnel)];
  console.log(
    `TCP throughput, ${MB} MB: across the hosts (VXLAN) ${t.toFixed(0)} MB/s vs a veth here ${v.toFixed(0)} MB/s = ${(t / v).toFixed(2)}×   target ≥ 0.7×: ${t / v >= 0.7 ? "met" : "NOT met"}`,
  );
} finally {
  for (const name of labs) await timed([LAB, "down", "--name", name, "--cleanup"], { quiet: true });
  if (started) Bun.spawnSync(["bash", SCRIPT, "stop", host2]);
  rmSync(home, { recursive: true, force: true });
}
