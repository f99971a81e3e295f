import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Subprocess, spawn } from "bun";
import { freePort, sh, waitFor } from "./env.ts";

export interface Border0Env {
  api: string;
  edge: string;
  user: { user_id: string; email: string; unix: string };
  /** An access token for the fake user (as BORDER0_ADMIN_TOKEN). */
  token: string;
  state(): Promise<{
    sockets: {
      name: string;
      socket_id: string;
      socket_type: string;
      dnsname: string;
      policies: { id: string; name: string }[];
    }[];
    policies: {
      id: string;
      name: string;
      policy_data: { condition?: { who?: { email?: string[] } } };
      socket_ids: string[];
    }[];
    calls: string[];
  }>;
  control(settings: Record<string, unknown>): Promise<void>;
  /** Stops the edge's sshd (listener and connections) and starts it again: a restart of the edge. */
  stopEdge(): Promise<void>;
  startEdge(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The fake Border0 API (its own process) in front of a real OpenSSH sshd on 127.0.0.1 acting as the
 * tunnel edge: it trusts user certificates from the test CA, allows remote forwards, and gives each
 * session a pty and a shell that prints Border0's banner and waits, as the real edge does.
 */
export async function startBorder0(): Promise<Border0Env> {
  const dir = mkdtempSync(join(tmpdir(), "lab-border0-"));
  const hex = [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
  const userId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  const unix = userId.replaceAll("-", "");
  const user = { user_id: userId, email: "tester@lab.test", unix };
  if (sh(`useradd -M -d /tmp -s /bin/sh -p '*' ${unix}`).code !== 0) throw new Error("useradd failed");
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
      "PermitTTY yes",
      "X11Forwarding no",
      "ClientAliveInterval 5",
      "MaxStartups 100:30:200",
      "MaxSessions 100",
      // The edge's session: its banner, then nothing until the client goes.
      `ForceCommand /bin/sh -c 'echo "Welcome to Border0.com"; exec sleep 86400'`,
      `AllowUsers ${unix}`,
    ].join("\n"),
  );
  sh("mkdir -p /run/sshd && chmod 755 /run/sshd");
  let sshd: Subprocess | undefined;
  const startEdge = async () => {
    sshd = spawn(["/usr/sbin/sshd", "-D", "-e", "-f", join(dir, "sshd_config")], {
      stdout: "ignore",
      stderr: Bun.file(join(dir, `sshd-${Date.now()}.log`)),
    });
    await waitFor(() => sh(`bash -c 'echo > /dev/tcp/127.0.0.1/${port}'`).code === 0, 10_000, "the edge sshd");
  };
  await startEdge();
  writeFileSync(
    join(dir, "config.json"),
    JSON.stringify({ user, caKey: `${dir}/ca`, hostKeyPub: readFileSync(`${dir}/host.pub`, "utf8") }),
  );
  const api: Subprocess = spawn([process.execPath, join(import.meta.dir, "../fake/border0-api.ts"), dir], {
    stdout: "ignore",
    stderr: "inherit",
  });
  await waitFor(
    () => existsSync(join(dir, "port")) && readFileSync(join(dir, "port"), "utf8") !== "",
    10_000,
    "the fake Border0 API",
  );
  const apiUrl = `http://127.0.0.1:${readFileSync(join(dir, "port"), "utf8")}/api/v1`;
  // An access token as the portal would issue one (the fake's own signature).
  const token = await fetch(`${apiUrl}/device_authorizations`, { method: "POST" })
    .then((r) => r.json() as Promise<{ token: string }>)
    .then(async ({ token: device }) => {
      for (let i = 0; i < 10; i++) {
        const r = (await (
          await fetch(`${apiUrl}/device_authorizations`, { headers: { "x-access-token": device } })
        ).json()) as {
          token: string;
        };
        if (r.token) return r.token;
      }
      throw new Error("the fake did not authorize the device");
    });
  return {
    api: apiUrl,
    edge: `127.0.0.1:${port}`,
    user,
    token,
    state: async () => (await fetch(`${apiUrl}/_state`)).json() as never,
    async control(settings) {
      await fetch(`${apiUrl}/_control`, { method: "POST", body: JSON.stringify(settings) });
    },
    async stopEdge() {
      sshd?.kill();
      await sshd?.exited;
      spawnSync("pkill", ["-KILL", "-u", unix]);
    },
    startEdge,
    async stop() {
      api.kill();
      sshd?.kill();
      await Promise.all([api.exited, sshd?.exited]);
      spawnSync("pkill", ["-KILL", "-u", unix]);
      sh(`userdel ${unix}`);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
