import { mkdir } from "node:fs/promises";
import type { Reporter } from "../deploy/reporter.ts";
import { LabError } from "../errors.ts";
import type { ShareEntry } from "./plan.ts";
import type { OpenedSocket, ShareProvider } from "./providers/types.ts";
import {
  appendLog,
  readState,
  type SharedSocket,
  type ShareState,
  shareDir,
  socketLogPath,
  writeState,
} from "./state.ts";
import { type Dialer, Tunnel, type TunnelStatus } from "./tunnel.ts";

export interface ShareOptions {
  lab: string;
  labDir: string;
  entries: ShareEntry[];
  /** Node name → management IPv4 of its running container. */
  /** Node → its management address, and how to reach it when it runs on another host. */
  targets: Map<string, { address: string; dial?: Dialer }>;
  provider: ShareProvider;
  reporter: Reporter;
  signal: AbortSignal;
  /** Called once every tunnel is up (or with the error that stopped the share). */
  onReady?(state: ShareState): void;
  /** More to record in the state each time it is saved (the shared console's sessions). */
  extraState?: () => Partial<ShareState>;
  readyTimeoutMs?: number;
}

/**
 * Publishes the lab's ports through the provider and holds the tunnels until `signal` aborts:
 * removes what this lab left at the service, opens a socket and a tunnel per entry, keeps them up
 * (reconnecting), and on stop closes the tunnels and deletes the sockets. A failure before
 * everything is up leaves nothing open. The same for mysocket, Border0 and an own SSH edge.
 */
export async function runShare(o: ShareOptions): Promise<void> {
  const { provider } = o;
  await mkdir(shareDir(o.labDir), { recursive: true });
  for (const e of o.entries) {
    if (!o.targets.get(e.node))
      throw new LabError("input", `node ${e.node} is not running, so its ports cannot be published`, {
        hint: "Run lab up first",
      });
  }
  // What the provider says along the way is also kept for whoever started a detached share.
  const notes: string[] = [];
  const reporter: Reporter = {
    ...o.reporter,
    info: (m: string) => {
      notes.push(m);
      o.reporter.info(m);
    },
    warn: (m: string) => {
      notes.push(m);
      o.reporter.warn(m);
    },
  };
  provider.checkEntries?.(o.entries);
  await provider.prepare(reporter);
  const entries = o.entries.map((e) => ({ ...e, name: provider.nameFor(o.lab, e.node, e.entry.type, e.entry.port) }));
  const previous = readState(o.labDir);
  const names = new Set([...entries.map((e) => e.name), ...(previous?.sockets.map((s) => s.name) ?? [])]);
  const removed = await provider.removeStale(names, o.reporter);
  if (removed.length)
    o.reporter.info(`deleted ${removed.length} stale socket${removed.length === 1 ? "" : "s"} of lab ${o.lab}`);

  const state: ShareState = {
    lab: o.lab,
    pid: process.pid,
    startedAt: new Date().toISOString(),
    provider: provider.id,
    providerArgs: provider.args,
    api: provider.describe(),
    edge: "",
    ready: false,
    sockets: [],
  };
  const opened: OpenedSocket[] = [];
  const tunnels: Tunnel[] = [];
  let writing = Promise.resolve();
  const save = () => {
    writing = writing.then(() => writeState(o.labDir, { ...state, ...o.extraState?.() })).catch(() => {});
    return writing;
  };
  const cleanup = async () => {
    for (const t of tunnels) t.stop();
    for (const s of opened)
      await provider.close(s).catch((e) => o.reporter.warn(`cannot delete socket ${s.name}: ${(e as Error).message}`));
  };

  try {
    for (const e of entries) {
      const socket = await provider.open(e, o.lab, reporter);
      opened.push(socket);
      const { address: host, dial } = o.targets.get(e.node) as { address: string; dial?: Dialer };
      const shared: SharedSocket = {
        name: socket.name,
        node: e.node,
        socketId: socket.socketId,
        dnsname: socket.dnsname,
        ports: socket.ports,
        type: socket.type,
        cloudAuth: socket.cloudAuth ?? false,
        tunnelId: socket.tunnelId ?? "",
        localPort: socket.localPort ?? 0,
        target: `${host}:${e.entry.port}`,
        address: socket.address,
        who: socket.who,
        ...(socket.policyId ? { policyId: socket.policyId } : {}),
        status: { connected: false, reconnects: 0, connections: 0 },
      };
      state.edge = `${socket.tunnel.edge.host}:${socket.tunnel.edge.port}`;
      state.sockets.push(shared);
      const logFile = socketLogPath(o.labDir, socket.name);
      let output = "";
      const learn = () => {
        const address = socket.addressFor?.(shared.status.edgePort, output);
        if (address && address !== shared.address) {
          shared.address = address;
          if (state.ready) void save();
        }
      };
      tunnels.push(
        new Tunnel({
          ...socket.tunnel,
          target: { host, port: e.entry.port, ...(dial ? { dial } : {}) },
          log: (line) => void appendLog(logFile, line),
          onOutput: (text) => {
            output = (output + text).slice(-4096);
            socket.tunnel.onOutput?.(text);
            learn();
          },
          onStatus: (status: TunnelStatus) => {
            const changed =
              status.connected !== shared.status.connected || status.reconnects !== shared.status.reconnects;
            shared.status = status;
            if (status.edgePort && !shared.ports.length) shared.ports = [status.edgePort];
            learn();
            if (changed && state.ready) {
              o.reporter.info(
                `${socket.name}: ${status.connected ? "connected" : `down (${status.lastError ?? "?"})`}`,
              );
              void save();
            }
          },
        }),
      );
    }
    await save();
    for (const t of tunnels) t.start();
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(
        () => reject(new LabError("remote", `tunnels did not come up within ${(o.readyTimeoutMs ?? 30_000) / 1000} s`)),
        o.readyTimeoutMs ?? 30_000,
      ),
    );
    await Promise.race([Promise.all(tunnels.map((t) => t.ready)), timeout]).catch((error) => {
      const message =
        error instanceof LabError
          ? error.message
          : `cannot connect to the edge ${state.edge}: ${(error as Error).message}`;
      throw new LabError(error instanceof LabError ? error.code : "remote", message, {
        hint:
          /certificate/.test(message) && provider.id === "mysocket"
            ? "The edge does not trust mysocket's certificates (MYSOCKET_SSH points elsewhere?)"
            : undefined,
      });
    });
    await provider.whileUp?.(
      state.sockets.map((s) => ({ name: s.name, edgePort: s.status.edgePort })),
      reporter,
    );
  } catch (error) {
    await cleanup();
    state.error = error instanceof LabError ? error.toLine() : String(error);
    state.sockets = [];
    await save();
    o.onReady?.(state);
    throw error;
  }
  state.ready = true;
  state.notes = notes;
  await save();
  o.onReady?.(state);

  // Token upkeep: each refresh says when the next is due (a refreshed token expires later).
  let refresher: ReturnType<typeof setTimeout> | undefined;
  const scheduleRefresh = () => {
    const upkeep = provider.refresh;
    if (!upkeep || o.signal.aborted) return;
    refresher = setTimeout(() => {
      upkeep
        .run(o.reporter)
        .catch((error) => o.reporter.warn(`cannot refresh the ${provider.id} token: ${(error as Error).message}`))
        .finally(scheduleRefresh);
    }, upkeep.nextInMs());
  };
  scheduleRefresh();
  const heartbeat = setInterval(() => void save(), 5_000);

  await new Promise<void>((resolve) => {
    if (o.signal.aborted) return resolve();
    o.signal.addEventListener("abort", () => resolve(), { once: true });
  });
  clearTimeout(refresher);
  clearInterval(heartbeat);
  await cleanup();
  state.ready = false;
  state.stoppedAt = new Date().toISOString();
  for (const s of state.sockets) s.status = { ...s.status, connected: false };
  await save();
  o.reporter.info(
    `closed ${tunnels.length} tunnel${tunnels.length === 1 ? "" : "s"}${provider.id === "ssh" ? "" : " and deleted their sockets"}`,
  );
}
