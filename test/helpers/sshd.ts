import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Subprocess, spawn } from "bun";
import { freePort, sh, uniqueName, waitFor } from "./env.ts";

export interface Sshd {
  port: number;
  user: string;
  /** The user's home on this host (files to fetch go here). */
  home: string;
  /**
   * A HOME for the client (lab): its .ssh holds a key the server accepts and, when asked, a
   * known_hosts line for the server.
   */
  clientHome: string;
  /** The server's host key as a known_hosts line. */
  knownHostsLine: string;
  log(): string;
  stop(): Promise<void>;
}

/**
 * A real OpenSSH sshd on 127.0.0.1 with a fresh local user who logs in with a fresh key: the far
 * side for scp:// sources, SSH edges and remote engines. Everything it made is removed by stop().
 */
export async function startSshd(
  options: { config?: string[]; knownHosts?: boolean; shell?: string; password?: string } = {},
): Promise<Sshd> {
  const dir = mkdtempSync(join(tmpdir(), "lab-sshd-"));
  // The user must be able to reach its home below this directory.
  chmodSync(dir, 0o755);
  const user = uniqueName("labu").replace(/-/g, "").slice(0, 24);
  const home = join(dir, "home");
  const clientHome = join(dir, "client");
  mkdirSync(join(clientHome, ".ssh"), { recursive: true });
  mkdirSync(join(home, ".ssh"), { recursive: true });
  if (sh(`useradd -M -d ${home} -s ${options.shell ?? "/bin/sh"} -p '*' ${user}`).code !== 0)
    throw new Error("useradd failed");
  if (options.password) sh(`chpasswd`, { input: `${user}:${options.password}\n` });
  sh(
    `ssh-keygen -q -t ed25519 -N '' -f ${dir}/host && ssh-keygen -q -t ed25519 -N '' -f ${clientHome}/.ssh/id_ed25519`,
  );
  writeFileSync(join(home, ".ssh", "authorized_keys"), readFileSync(`${clientHome}/.ssh/id_ed25519.pub`));
  sh(`chown -R ${user} ${home} && chmod 700 ${home}/.ssh`);
  const port = await freePort();
  const hostPub = readFileSync(`${dir}/host.pub`, "utf8").trim().split(" ");
  const knownHostsLine = `[127.0.0.1]:${port} ${hostPub[0]} ${hostPub[1]}`;
  if (options.knownHosts) writeFileSync(join(clientHome, ".ssh", "known_hosts"), `${knownHostsLine}\n`);
  writeFileSync(
    join(dir, "sshd_config"),
    [
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${dir}/host`,
      `PidFile ${dir}/sshd.pid`,
      "PubkeyAuthentication yes",
      `PasswordAuthentication ${options.password ? "yes" : "no"}`,
      "KbdInteractiveAuthentication no",
      "UsePAM no",
      "StrictModes no",
      "X11Forwarding no",
      "Subsystem sftp internal-sftp",
      `AllowUsers ${user}`,
      ...(options.config ?? []),
    ].join("\n"),
  );
  sh("mkdir -p /run/sshd && chmod 755 /run/sshd");
  const sshd: Subprocess = spawn(["/usr/sbin/sshd", "-D", "-e", "-f", join(dir, "sshd_config")], {
    stdout: "ignore",
    stderr: Bun.file(join(dir, "sshd.log")),
  });
  await waitFor(() => sh(`bash -c 'echo > /dev/tcp/127.0.0.1/${port}'`).code === 0, 10_000, "the test sshd");
  return {
    port,
    user,
    home,
    clientHome,
    knownHostsLine,
    log: () => readFileSync(join(dir, "sshd.log"), "utf8"),
    async stop() {
      sshd.kill();
      await sshd.exited;
      spawnSync("pkill", ["-KILL", "-u", user]);
      sh(`userdel ${user}`);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
