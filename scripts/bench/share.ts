// lab share against the fake mysocket API and a real sshd edge (the test servers), same run:
//   - time from `lab share --detach` to 10 tunnels reachable (target ≤ 3 s)
//   - throughput through one tunnel against plain `ssh -R` to the same sshd (target ≥ 0.8×)
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../test/helpers/env.ts";
import { startMysocket } from "../../test/helpers/mysocket.ts";

const LAB = process.env.LAB_BIN ?? "dist/lab";
const SIZE = 200_000_000;
const work = mkdtempSync(join(tmpdir(), "lab-bench-share-"));
const ms = await startMysocket();
const env = { ...process.env, MYSOCKET_API: ms.api, MYSOCKET_SSH: ms.edge, XDG_CONFIG_HOME: join(work, "config") };
const name = `bench-share-${Date.now().toString(36)}`;
const file = join(work, "share.clab.yml");
const ports = Array.from({ length: 10 }, (_, i) => 8001 + i);
writeFileSync(
  file,
  `name: ${name}
mgmt: { network: ${name}, ipv4-subnet: 172.31.198.0/24 }
topology:
  nodes:
    web:
      image: lab-test/linux:1
      privileged: false
      cmd: sh -c "for p in ${ports.join(" ")}; do httpd -p $$p -h /var/www; done; while true; do head -c ${SIZE} /dev/zero | nc -l -p 9000; done"
      publish: [${ports
        .slice(0, 4)
        .map((p) => `tcp/${p}`)
        .join(", ")}, ${ports
        .slice(4)
        .map((p) => `http/${p}`)
        .join(", ")}]
    bulk:
      image: lab-test/linux:1
      privileged: false
      cmd: sh -c "head -c ${SIZE} /dev/zero > /var/www/big && httpd -f -p 9000 -h /var/www"
      publish: [tcp/9000]
`,
);
const run = (args: string[], input?: string) => {
  const r = spawnSync(LAB, args, { env, input, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`lab ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
};

/** Waits until the file is served through `port` (the node writes it first). */
async function warm(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (
      await pull(port)
        .then(() => true)
        .catch(() => false)
    )
      return;
    await Bun.sleep(200);
  }
  throw new Error(`nothing served through port ${port}`);
}

/** Seconds to download the 200 MB file through `port`. */
async function pull(port: number): Promise<number> {
  const t0 = performance.now();
  const r = await fetch(`http://127.0.0.1:${port}/big`);
  let n = 0;
  for await (const chunk of r.body as ReadableStream<Uint8Array>) n += chunk.length;
  if (n !== SIZE) throw new Error(`got ${n} of ${SIZE} bytes`);
  return (performance.now() - t0) / 1000;
}

try {
  run(["login", "mysocket", "--email", ms.user.email, "--password-stdin"], `${ms.user.password}\n`);
  // 4 tcp + 6 http sockets are timed; the bulk node's tcp/9000 is the fifth tcp socket the account allows.
  run(["up", "-t", file]);
  const state = await (async () => {
    const t0 = performance.now();
    run(["share", "-t", file, "--detach"]);
    const sockets = (await ms.state()).sockets;
    const measured = sockets.filter((s) => s.name.includes("-web"));
    await Promise.all(
      measured.map(async (s) => {
        for (let i = 0; i < 100; i++) {
          const ok = await fetch(`http://127.0.0.1:${s.socket_tcp_ports[0]}/`)
            .then((r) => r.ok)
            .catch(() => false);
          if (ok) return;
          await Bun.sleep(20);
        }
        throw new Error(`${s.name} not reachable`);
      }),
    );
    return { seconds: (performance.now() - t0) / 1000, sockets };
  })();
  console.log(
    `lab share → 10 tunnels reachable: ${state.seconds.toFixed(2)} s   target ≤ 3 s: ${state.seconds <= 3 ? "met" : "NOT met"}`,
  );

  const bulk = state.sockets.find((s) => s.name === "clab-tcp-9000-bulk");
  if (!bulk) throw new Error("no bulk socket");
  await warm(bulk.socket_tcp_ports[0] as number);
  const viaLab = await pull(bulk.socket_tcp_ports[0] as number);

  // Plain ssh -R to the same sshd, as the same user with a certificate from the same CA.
  const ip = JSON.parse(run(["inspect", "-t", file, "--format", "json"]))
    [name].find((c: { node: string }) => c.node === "bulk")
    .ipv4_address.split("/")[0];
  spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(work, "k")]);
  spawnSync("ssh-keygen", [
    "-q",
    "-s",
    ms.caKey,
    "-I",
    "bench",
    "-n",
    ms.user.unix,
    "-V",
    "-5m:+1h",
    join(work, "k.pub"),
  ]);
  const port = await freePort();
  const [host, edgePort] = ms.edge.split(":");
  const ssh = Bun.spawn(
    [
      "ssh",
      "-N",
      "-i",
      join(work, "k"),
      "-o",
      `CertificateFile=${join(work, "k-cert.pub")}`,
      "-o",
      "StrictHostKeyChecking=no",
      "-o",
      "UserKnownHostsFile=/dev/null",
      "-o",
      "ExitOnForwardFailure=yes",
      "-R",
      `localhost:${port}:${ip}:9000`,
      "-p",
      edgePort as string,
      `${ms.user.unix}@${host}`,
    ],
    { stdout: "ignore", stderr: "ignore" },
  );
  for (let i = 0; i < 100; i++) {
    const up = await Bun.connect({ hostname: "127.0.0.1", port, socket: { data() {} } })
      .then((s) => (s.end(), true))
      .catch(() => false);
    if (up) break;
    await Bun.sleep(50);
  }
  await Bun.sleep(500);
  await warm(port);
  const viaSsh = await pull(port);
  ssh.kill();
  const mb = SIZE / 1e6;
  console.log(
    `throughput through one tunnel: lab ${(mb / viaLab).toFixed(0)} MB/s, ssh -R ${(mb / viaSsh).toFixed(0)} MB/s, ratio ${(viaSsh / viaLab).toFixed(2)}×   target ≥ 0.8×: ${viaSsh / viaLab >= 0.8 ? "met" : "NOT met"}`,
  );
} finally {
  spawnSync(LAB, ["down", "-t", file, "--cleanup"], { env });
  await ms.stop();
  rmSync(work, { recursive: true, force: true });
}
