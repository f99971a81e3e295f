import type { Duplex } from "node:stream";
import type ssh2 from "ssh2";
import { createDockerClient } from "../../runtime/docker/index.ts";
import { tlsFromCertPath } from "../../runtime/docker/tls.ts";
import { RUNTIMES } from "../../runtime/engines.ts";
import { forwardEngineSocket } from "../../runtime/hosts/ssh-engine.ts";
import { sshPlatform } from "../../runtime/hosts/ssh-platform.ts";
import { LabError } from "../errors.ts";
import { parseSshUrl, sshConnect } from "../ssh/connect.ts";
import { type HostDef, sshUrlOf } from "./definitions.ts";
import { type Host, HostSet } from "./hosts.ts";

export interface ConnectOptions {
  env: Record<string, string | undefined>;
  warn?: (message: string) => void;
}

const DEFAULT_REMOTE_SOCKET = "/var/run/docker.sock";

/**
 * Opens one host: an SSH connection (keys from the agent or ~/.ssh, host key checked against
 * known_hosts) carrying its host-side commands and, for ssh:// engines, the engine's unix socket.
 */
async function connectOne(
  def: HostDef,
  local: Host,
  opts: ConnectOptions,
): Promise<{ host: Host; close: () => Promise<void> }> {
  const target = parseSshUrl(sshUrlOf(def), opts.env);
  let client: ssh2.Client;
  try {
    client = await sshConnect(target, { env: opts.env, hostKeys: "strict", warn: opts.warn, readyTimeoutMs: 10_000 });
  } catch (error) {
    const e = error as LabError;
    throw new LabError(e.code ?? "remote", `host ${def.name} (${def.from}): ${e.message}`, {
      hint: e.hint,
      cause: error,
    });
  }
  const closers: (() => Promise<void>)[] = [async () => void client.end()];
  try {
    const platform = sshPlatform(local.platform, client, def.name);
    let docker: Host["docker"];
    let display: string;
    if (def.engine.startsWith("ssh://")) {
      const socket = parseSshUrl(def.engine, opts.env).path || DEFAULT_REMOTE_SOCKET;
      const forward = await forwardEngineSocket(client, socket === "/" ? DEFAULT_REMOTE_SOCKET : socket);
      closers.unshift(forward.close);
      docker = createDockerClient(local.platform, `unix://${forward.socketPath}`, RUNTIMES.docker);
      display = def.engine;
      Object.assign(docker.host, {
        display,
        label: `the engine on ${def.name}`,
        hint: `Is dockerd running on ${target.host} (socket ${socket})?`,
      });
    } else {
      const tls = def.certPath ? tlsFromCertPath(def.certPath, true) : undefined;
      docker = createDockerClient(local.platform, def.engine, RUNTIMES.docker, tls);
      display = def.engine;
    }
    await docker.system.ping().catch((error: LabError) => {
      throw new LabError(error.code ?? "engine", `host ${def.name}: ${error.message}`, { hint: error.hint });
    });
    const dial = (address: string, port: number) =>
      new Promise<Duplex>((resolve, reject) =>
        client.forwardOut("127.0.0.1", 0, address, port, (err, channel) => (err ? reject(err) : resolve(channel))),
      );
    return {
      host: { name: def.name, docker, platform, display, def, dial },
      close: async () => {
        for (const c of closers) await c().catch(() => {});
      },
    };
  } catch (error) {
    for (const c of closers) await c().catch(() => {});
    throw error;
  }
}

/** Connects every host (in parallel); one that fails closes the others and is the error. */
export async function connectHosts(defs: HostDef[], local: Host, opts: ConnectOptions): Promise<HostSet> {
  const results = await Promise.allSettled(defs.map((d) => connectOne(d, local, opts)));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  const ok = results.filter((r) => r.status === "fulfilled").map((r) => r.value);
  if (failed) {
    await Promise.all(ok.map((o) => o.close()));
    throw failed.reason;
  }
  return new HostSet(
    local,
    ok.map((o) => o.host),
    ok.map((o) => o.close),
  );
}
