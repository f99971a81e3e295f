// lab share --via ssh://… against a real OpenSSH bastion on loopback (the test helper), same run:
//   - time from `lab share --detach` to 10 tunnels reachable (target ≤ 2 s)
//   - throughput through one tunnel against plain `ssh -R` to the same bastion (target ≥ 0.9×),
//     medians of 3 alternating downloads of 200 MB
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../test/helpers/env.ts";
import { startSshd } from "../../test/helpers/sshd.ts";

const LAB = process.env.LAB_BIN ?? "dist/lab";
const SIZE = 200_000_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const work = mkdtempSync(join(tmpdir(), "lab-bench-edge-"));
const bastion = await startSshd({
  knownHosts: true,
  config: ["GatewayPorts clientspecified", "AllowTcpForwarding remote"],
});
const env = { ...process.env, HOME: bastion.clientHome, XDG_CONFIG_HOME: join(work, "config"), SSH_AUTH_SOCK: "" };
const via = `ssh://${bastion.user}@127.0.0.1:${bastion.port}`;
const name = `bench-edge-${Date.now().toString(36)}`;
const file = join(work, "edge.clab.yml");
const ports = Array.from({ length: 10 }, (_, i) => 8001 + i);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
writeFileSync(
  file,
  `name: ${name}
mgmt: { network: ${name}, ipv4-subnet: 172.31.197.0/24 }
topology:
  nodes:
    web:
      image: lab-test/linux:1
      privileged: false
      cmd: sh -c "for p in ${ports.join(" ")}; do httpd -p $$p -h /var/www; done; sleep 86400"
      publish: [${ports.map((p) => `http/${p}`).join(", ")}]
    bulk:
      image: lab-test/linux:1
      privileged: false
      cmd: sh -c "head -c ${SIZE} /dev/zero > /var/www/big && httpd -f -p 9000 -h /var/www"
`,
);
const run = (args: string[]) => {
  const r = spawnSync(LAB, args, { env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`lab ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
};

async function pull(port: number): Promise<number> {
  const t0 = performance.now();
  const r = await fetch(`http://127.0.0.1:${port}/big`);
  let n = 0;
  for await (const chunk of r.body as ReadableStream<Uint8Array>) n += chunk.length;
  if (n !== SIZE) throw new Error(`got ${n} of ${SIZE} bytes`);
  return (performance.now() - t0) / 1000;
}

async function warm(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (
      await pull(port).then(
        () => true,
        () => false,
      )
    )
      return;
    await Bun.sleep(200);
  }
  throw new Error(`nothing served through port ${port}`);
}

const forward = (port: number, target: string) =>
  Bun.spawn(
    [
      "ssh",
      "-N",
      "-i",
      join(bastion.clientHome, ".ssh", "id_ed25519"),
      "-o",
      `UserKnownHostsFile=${join(bastion.clientHome, ".ssh", "known_hosts")}`,
      "-o",
      "ExitOnForwardFailure=yes",
      "-R",
      `0.0.0.0:${port}:${target}`,
      "-p",
      String(bastion.port),
      `${bastion.user}@127.0.0.1`,
    ],
    { stdout: "ignore", stderr: "ignore", env },
  );

try {
  run(["up", "-t", file]);
  const t0 = performance.now();
  run(["share", "-t", file, "--via", via, "--detach"]);
  const status = JSON.parse(run(["share", "status", "-t", file, "--format", "json"])) as {
    sockets: { status: { edgePort: number } }[];
  };
  await Promise.all(
    status.sockets.map(async (s) => {
      for (let i = 0; i < 200; i++) {
        if (
          await fetch(`http://127.0.0.1:${s.status.edgePort}/`).then(
            (r) => r.ok,
            () => false,
          )
        )
          return;
        await Bun.sleep(10);
      }
      throw new Error(`port ${s.status.edgePort} not reachable`);
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `own edge: lab share --detach → 10 tunnels reachable in ${seconds.toFixed(2)} s   target ≤ 2 s: ${seconds <= 2 ? "met" : "NOT met"}`,
  );
  run(["share", "stop", "-t", file]);

  // One tunnel to the bulk node: lab's against plain ssh -R, alternating.
  const ip = JSON.parse(run(["inspect", "-t", file, "--format", "json"]))
    [name].find((c: { node: string }) => c.node === "bulk")
    .ipv4_address.split("/")[0];
  const bulkFile = join(work, "bulk.clab.yml");
  writeFileSync(
    bulkFile,
    `name: ${name}\ntopology:\n  nodes:\n    bulk: { image: lab-test/linux:1, publish: [http/9000] }\n`,
  );
  const viaLab: number[] = [];
  const viaSsh: number[] = [];
  const sshPort = await freePort();
  const ssh = forward(sshPort, `${ip}:9000`);
  try {
    await warm(sshPort);
    run(["share", "-t", bulkFile, "--via", via, "--detach"]);
    const labPort = (JSON.parse(run(["share", "status", "-t", bulkFile, "--format", "json"])) as typeof status)
      .sockets[0]?.status.edgePort as number;
    await warm(labPort);
    for (let i = 0; i < RUNS; i++) {
      viaLab.push(await pull(labPort));
      viaSsh.push(await pull(sshPort));
    }
    run(["share", "stop", "-t", bulkFile]);
  } finally {
    ssh.kill();
  }
  const [l, s] = [median(viaLab), median(viaSsh)];
  const mb = SIZE / 1e6;
  console.log(
    `own edge, one tunnel: lab ${(mb / l).toFixed(0)} MB/s, plain ssh -R ${(mb / s).toFixed(0)} MB/s = ${(s / l).toFixed(2)}×   target ≥ 0.9×: ${s / l >= 0.9 ? "met" : "NOT met"}`,
  );
} finally {
  spawnSync(LAB, ["down", "-t", file, "--cleanup"], { env });
  await bastion.stop();
  rmSync(work, { recursive: true, force: true });
}
