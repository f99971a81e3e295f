import type { Platform } from "../../runtime/platform/index.ts";
import { listOnHosts } from "../deploy/inspect.ts";
import type { Reporter } from "../deploy/reporter.ts";
import { LabError } from "../errors.ts";
import type { HostSet } from "../hosts/hosts.ts";
import { sleep } from "../sleep.ts";
import { DEFAULT_API, DEFAULT_EDGE, parseEdge } from "./api.ts";
import { alive, clearState, logPath, readState, type ShareState } from "./state.ts";
import type { Dialer } from "./tunnel.ts";

export interface Endpoints {
  api: string;
  edge: { host: string; port: number };
}

export function endpoints(env: (name: string) => string | undefined, api?: string): Endpoints {
  return { api: api ?? env("MYSOCKET_API") ?? DEFAULT_API, edge: parseEdge(env("MYSOCKET_SSH") ?? DEFAULT_EDGE) };
}

/** Node name → management IPv4 of the lab's running containers. */
export async function shareTargets(
  hosts: HostSet,
  lab: string,
): Promise<Map<string, { address: string; dial?: Dialer }>> {
  const containers = await listOnHosts(hosts, lab);
  return new Map(
    containers
      .filter((c) => c.state === "running" && c.ipv4)
      .map((c) => {
        // A node on another host: its management network is not routed here; its host's SSH reaches it.
        const dial = hosts.get(c.host).dial;
        return [c.node, { address: c.ipv4.split("/")[0] as string, ...(c.host && dial ? { dial } : {}) }];
      }),
  );
}

/**
 * Starts the sharer as a background process holding the tunnels, and waits until it reports every
 * tunnel up, or its error. Its pid, status and logs live in the lab dir.
 */
export async function startDetached(
  platform: Platform,
  labDir: string,
  args: string[],
  timeoutMs = 60_000,
  /** For secrets the sharer needs (a console's password): its environment, never its argv. */
  env?: Record<string, string>,
): Promise<ShareState> {
  await clearState(labDir);
  const { mkdir } = await import("node:fs/promises");
  await mkdir(`${labDir}/share`, { recursive: true });
  const pid = platform.spawnDetached([...platform.selfCommand(), "share", "_run", ...args], logPath(labDir), env);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const state = readState(labDir);
    if (state?.pid === pid && (state.ready || state.error)) {
      if (state.error) {
        // The sharer is winding down after its error: the next lab share must not find it alive.
        for (let i = 0; i < 100 && alive(pid); i++) await sleep(100);
        if (alive(pid)) process.kill(pid, "SIGKILL");
        throw new LabError("remote", state.error);
      }
      return state;
    }
    if (!alive(pid)) {
      const { readFile } = await import("node:fs/promises");
      const log = await readFile(logPath(labDir), "utf8").catch(() => "");
      const last = log.trim().split("\n").filter(Boolean).at(-1) ?? "no output";
      throw new LabError("remote", `the background sharer exited: ${last.replace(/^\s*\[?error\]?\s*/i, "")}`);
    }
    await sleep(100);
  }
  throw new LabError("remote", `the background sharer did not come up within ${timeoutMs / 1000} s`, {
    hint: `See ${logPath(labDir)}`,
  });
}

/**
 * Stops this lab's sharing: the background process closes its tunnels and deletes its sockets; if
 * it died without doing so, the sockets it recorded are deleted here.
 */
export async function stopShare(
  labDir: string,
  platform: Platform,
  reporter: Reporter,
): Promise<{ wasRunning: boolean; deleted: string[] }> {
  const state = readState(labDir);
  if (!state) return { wasRunning: false, deleted: [] };
  const wasRunning = alive(state.pid) && state.pid !== process.pid;
  if (wasRunning) {
    process.kill(state.pid, "SIGTERM");
    for (let i = 0; i < 150 && alive(state.pid); i++) await sleep(100);
    if (alive(state.pid)) process.kill(state.pid, "SIGKILL");
  }
  const after = readState(labDir);
  const leftover = after && !after.stoppedAt ? after.sockets.filter((s) => s.socketId) : [];
  const deleted: string[] = [];
  if (leftover.length) {
    try {
      // The provider the sharer used, rebuilt from what it recorded (older states: mysocket).
      const { buildProvider, choiceFromArgs } = await import("./providers/index.ts");
      const provider = await buildProvider(
        after?.providerArgs
          ? choiceFromArgs(after.providerArgs)
          : { provider: "mysocket", api: after?.api ?? state.api },
        platform.env,
      );
      deleted.push(...(await provider.removeStale(new Set(leftover.map((s) => s.name)), reporter)));
      for (const s of leftover)
        if (s.policyId)
          await provider.close({ name: s.name, socketId: s.socketId, policyId: s.policyId }).catch(() => {});
    } catch (error) {
      reporter.warn(`cannot delete the sockets the sharer left: ${(error as Error).message}`);
    }
  }
  await clearState(labDir);
  return { wasRunning, deleted };
}
