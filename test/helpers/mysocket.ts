import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Subprocess, spawn } from "bun";
import { freePort, sh, waitFor } from "./env.ts";

export interface MysocketEnv {
  api: string;
  /** The test CA's private key (to sign certificates for a plain ssh client in benchmarks). */
  caKey: string;
  edge: string;
  user: { email: string; password: string; user_id: string; unix: string };
  state(): Promise<{ sockets: { name: string; socket_id: string; socket_type: string; socket_tcp_ports: number[] }[] }>;
  control(settings: Record<string, unknown>): Promise<void>;
  /** Kills the SSH connections the edge holds (the tunnels must come back). */
  dropConnections(): void;
  stop(): Promise<void>;
}

/**
 * The fake mysocket API (its own process) in front of a real OpenSSH sshd on 127.0.0.1 acting as
 * the tunnel edge: it trusts user certificates from the test CA (TrustedUserCAKeys), allows remote
 * forwards only, and runs no shells. The account's SSH user is created as a local user and removed.
 */
export async function startMysocket(
  options: { tokenSeconds?: number; limits?: { tcp: number; http: number } } = {},
): Promise<MysocketEnv> {
  const dir = mkdtempSync(join(tmpdir(), "lab-mysocket-"));
  const hex = [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
  const userId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  const unix = userId.replaceAll("-", "");
  const user = { email: "tester@lab.test", password: "lab-pw", user_id: userId, unix };
  if (sh(`useradd -M -d /nonexistent -s /usr/sbin/nologin -p '*' ${unix}`).code !== 0)
    throw new Error("useradd failed");
  sh(`ssh-keygen -q -t ed25519 -N '' -f ${dir}/ca && ssh-keygen -q -t ed25519 -N '' -f ${dir}/host`);
  const port = await freePort();
  writeFileSync(
    join(dir, "sshd_config"),
    [
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${dir}/host`,
      `PidFile ${dir}/sshd.pid`,
      `TrustedUserCAKeys ${dir}/ca.pub`,
      "AuthorizedKeysFile none",
      "PubkeyAuthentication yes",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "UsePAM no",
      "StrictModes no",
      "AllowTcpForwarding remote",
      "GatewayPorts no",
      "PermitTTY no",
      "X11Forwarding no",
      "ClientAliveInterval 5",
      "MaxStartups 100:30:200",
      "MaxSessions 100",
      `AllowUsers ${unix} root`,
    ].join("\n"),
  );
  mkdirRun();
  const sshd: Subprocess = spawn(["/usr/sbin/sshd", "-D", "-e", "-f", join(dir, "sshd_config")], {
    stdout: "ignore",
    stderr: Bun.file(join(dir, "sshd.log")),
  });
  writeFileSync(
    join(dir, "config.json"),
    JSON.stringify({ users: [user], caKey: `${dir}/ca`, tokenSeconds: options.tokenSeconds, limits: options.limits }),
  );
  const api: Subprocess = spawn([process.execPath, join(import.meta.dir, "../fake/mysocket-api.ts"), dir], {
    stdout: "ignore",
    stderr: "inherit",
  });
  await waitFor(
    () => existsSync(join(dir, "port")) && readFileSync(join(dir, "port"), "utf8") !== "",
    10_000,
    "the fake mysocket API",
  );
  const apiUrl = `http://127.0.0.1:${readFileSync(join(dir, "port"), "utf8")}`;
  await waitFor(() => sh(`bash -c 'echo > /dev/tcp/127.0.0.1/${port}'`).code === 0, 10_000, "the edge sshd");
  return {
    api: apiUrl,
    caKey: `${dir}/ca`,
    edge: `127.0.0.1:${port}`,
    user,
    state: async () => (await fetch(`${apiUrl}/_state`)).json() as never,
    async control(settings) {
      await fetch(`${apiUrl}/_control`, { method: "POST", body: JSON.stringify(settings) });
    },
    dropConnections() {
      // The per-connection sshd children of this user; the listener (parent) stays up.
      spawnSync("pkill", ["-KILL", "-u", unix, "sshd"]);
    },
    async stop() {
      api.kill();
      sshd.kill();
      await Promise.all([api.exited, sshd.exited]);
      spawnSync("pkill", ["-KILL", "-u", unix]);
      sh(`userdel ${unix}`);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function mkdirRun() {
  // sshd wants its privilege-separation directory.
  sh("mkdir -p /run/sshd && chmod 755 /run/sshd");
}
