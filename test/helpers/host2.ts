import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sh, uniqueName } from "./env.ts";

const SCRIPT = join(import.meta.dir, "../../scripts/host2.sh");

/**
 * A second Docker host for multi-host tests: scripts/host2.sh runs a real dockerd and sshd in their
 * own network, mount, pid and uts namespaces, joined to this machine by a veth underlay. lab reaches
 * it only over SSH (and its TLS engine port). `env` is what lab runs with: a HOME whose ~/.ssh holds
 * the key host 2 accepts and its host key, and a private state dir.
 */
export interface Host2 {
  name: string;
  /** This machine's end of the underlay, and host 2's. */
  hostAddr: string;
  peerAddr: string;
  home: string;
  env: Record<string, string>;
  /** ca.pem, cert.pem, key.pem for host 2's TLS engine on peerAddr:2376. */
  tlsDir: string;
  docker(args: string): ReturnType<typeof sh>;
  /** A shell command run inside host 2 (its network, mounts and processes). */
  inside(cmd: string): ReturnType<typeof sh>;
  sshdStop(): void;
  sshdStart(): void;
  stop(): void;
}

function freeUnderlay(): number {
  const routes = sh("ip -4 route").stdout;
  for (let i = 0; i < 100; i++) {
    const third = 10 + Math.floor(Math.random() * 240);
    if (!routes.includes(`10.213.${third}.`)) return third;
  }
  throw new Error("no free 10.213.x.0/24 underlay");
}

/** Certificates as docker's TLS guide makes them: a CA, a server cert for the peer's IP, a client cert. */
function makeCerts(dir: string, ip: string): void {
  const run = (cmd: string) => {
    const r = sh(`cd ${dir} && ${cmd}`);
    if (r.code !== 0) throw new Error(`${cmd}: ${r.stderr}`);
  };
  run(
    "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=lab-test-ca -keyout ca-key.pem -out ca.pem 2>/dev/null",
  );
  writeFileSync(join(dir, "server.ext"), `subjectAltName = IP:${ip}\nextendedKeyUsage = serverAuth\n`);
  run("openssl req -newkey rsa:2048 -nodes -subj /CN=host2 -keyout server-key.pem -out server.csr 2>/dev/null");
  run(
    "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 2 -extfile server.ext -out server-cert.pem 2>/dev/null",
  );
  writeFileSync(join(dir, "client.ext"), "extendedKeyUsage = clientAuth\n");
  run("openssl req -newkey rsa:2048 -nodes -subj /CN=lab -keyout key.pem -out client.csr 2>/dev/null");
  run(
    "openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 2 -extfile client.ext -out cert.pem 2>/dev/null",
  );
}

export function startHost2(): Host2 {
  const name = `lh2${uniqueName("").slice(-6)}`.replace(/-/g, "");
  const third = freeUnderlay();
  const hostAddr = `10.213.${third}.1`;
  const peerAddr = `10.213.${third}.2`;
  const home = mkdtempSync(join(tmpdir(), "lab-host2-home-"));
  mkdirSync(join(home, ".ssh"), { mode: 0o700 });
  sh(`ssh-keygen -q -t ed25519 -N '' -f ${home}/.ssh/id_ed25519`);
  const tlsDir = join(home, "tls");
  mkdirSync(tlsDir);
  makeCerts(tlsDir, peerAddr);
  const script = (args: string) => sh(`bash ${SCRIPT} ${args}`);
  const started = script(`start ${name} ${hostAddr} ${peerAddr} ${home}/.ssh/id_ed25519.pub ${tlsDir}`);
  const stop = () => {
    script(`stop ${name}`);
    rmSync(home, { recursive: true, force: true });
  };
  if (started.code !== 0) {
    stop();
    throw new Error(`host 2 did not start: ${started.stderr}`);
  }
  // Its host key, as a user who has logged in once has it.
  sh(`ssh-keyscan -T 5 ${peerAddr} > ${home}/.ssh/known_hosts 2>/dev/null`);
  const loaded = sh(`docker save lab-test/linux:1 lab-test/base:1 | bash ${SCRIPT} docker ${name} load -q`);
  if (loaded.code !== 0) {
    stop();
    throw new Error(`cannot load the test images into host 2: ${loaded.stderr}`);
  }
  return {
    name,
    hostAddr,
    peerAddr,
    home,
    tlsDir,
    env: { HOME: home, LAB_STATE_DIR: join(home, "state"), SSH_AUTH_SOCK: "", XDG_CONFIG_HOME: join(home, ".config") },
    docker: (args) => script(`docker ${name} ${args}`),
    inside: (cmd) => sh(`nsenter -t $(cat /var/lib/lab-host2/${name}.state/pid) -m -p -n -- sh -c '${cmd}'`),
    sshdStop: () => void script(`sshd-stop ${name}`),
    sshdStart: () => void script(`sshd-start ${name}`),
    stop,
  };
}
