import { mkdir } from "node:fs/promises";
import type { Reporter } from "../deploy/reporter.ts";
import { LabError } from "../errors.ts";
import { MysocketApi, type SocketInfo } from "./api.ts";
import { addressHint, type ShareEntry } from "./plan.ts";
import {
  appendLog,
  readState,
  type SharedSocket,
  type ShareState,
  shareDir,
  socketLogPath,
  writeState,
} from "./state.ts";
import { type MysocketToken, saveToken } from "./token.ts";
import { Tunnel, type TunnelStatus } from "./tunnel.ts";

export interface ShareOptions {
  lab: string;
  labDir: string;
  entries: ShareEntry[];
  /** Node name → management IPv4 of its running container. */
  targets: Map<string, string>;
  token: MysocketToken;
  api: string;
  edge: { host: string; port: number };
  reporter: Reporter;
  signal: AbortSignal;
  /** Called once every tunnel is up (or with the error that stopped the share). */
  onReady?(state: ShareState): void;
  readyTimeoutMs?: number;
}

/** Deletes this lab's sockets: the names it would create and the ones its last share recorded. */
export async function deleteLabSockets(api: MysocketApi, names: Set<string>, reporter: Reporter): Promise<string[]> {
  const existing = await api.sockets();
  const stale = existing.filter((s) => names.has(s.name));
  for (const s of stale) {
    await api.deleteSocket(s.socket_id);
    reporter.debug(`deleted socket ${s.name} (${s.socket_id})`);
  }
  return stale.map((s) => s.name);
}

/**
 * Publishes the lab's ports and holds the tunnels until `signal` aborts: deletes stale sockets of
 * this lab, creates a socket and tunnel per entry, connects every tunnel with a fresh certificate,
 * keeps the token fresh, and on stop closes the tunnels and deletes the sockets. A failure before
 * everything is up leaves nothing open.
 */
export async function runShare(o: ShareOptions): Promise<void> {
  const api = new MysocketApi(o.api, o.token.token);
  await mkdir(shareDir(o.labDir), { recursive: true });
  const previous = readState(o.labDir);
  const names = new Set([...o.entries.map((e) => e.name), ...(previous?.sockets.map((s) => s.name) ?? [])]);
  for (const e of o.entries) {
    if (!o.targets.get(e.node)) {
      throw new LabError("input", `node ${e.node} is not running, so its ports cannot be published`, {
        hint: "Run lab up first",
      });
    }
  }
  const removed = await deleteLabSockets(api, names, o.reporter);
  if (removed.length)
    o.reporter.info(`deleted ${removed.length} stale socket${removed.length === 1 ? "" : "s"} of lab ${o.lab}`);

  const state: ShareState = {
    lab: o.lab,
    pid: process.pid,
    startedAt: new Date().toISOString(),
    api: o.api,
    edge: `${o.edge.host}:${o.edge.port}`,
    ready: false,
    sockets: [],
  };
  const created: SocketInfo[] = [];
  const tunnels: Tunnel[] = [];
  let writing = Promise.resolve();
  const save = () => {
    writing = writing.then(() => writeState(o.labDir, state)).catch(() => {});
    return writing;
  };
  const cleanup = async () => {
    for (const t of tunnels) t.stop();
    for (const s of created)
      await api
        .deleteSocket(s.socket_id)
        .catch((e) => o.reporter.warn(`cannot delete socket ${s.name}: ${(e as Error).message}`));
  };

  try {
    for (const e of o.entries) {
      const socket = await api.createSocket({
        name: e.name,
        type: e.entry.type,
        emails: e.entry.emails,
        domains: e.entry.domains,
      });
      created.push(socket);
      const tunnel = await api.createTunnel(socket.socket_id);
      const target = `${o.targets.get(e.node)}:${e.entry.port}`;
      const shared: SharedSocket = {
        name: e.name,
        node: e.node,
        socketId: socket.socket_id,
        dnsname: socket.dnsname,
        ports: socket.socket_tcp_ports,
        type: socket.socket_type,
        cloudAuth: socket.cloud_authentication_enabled,
        tunnelId: tunnel.tunnel_id,
        localPort: tunnel.local_port,
        target,
        address: addressHint(socket.socket_type, socket.dnsname, socket.socket_tcp_ports, e.entry.port),
        status: { connected: false, reconnects: 0, connections: 0 },
      };
      state.sockets.push(shared);
      const logFile = socketLogPath(o.labDir, e.name);
      tunnels.push(
        new Tunnel({
          edge: o.edge,
          sshUser: o.token.sshUser,
          remotePort: tunnel.local_port,
          target: { host: o.targets.get(e.node) as string, port: e.entry.port },
          signKey: (publicKey) => api.signKey(socket.socket_id, tunnel.tunnel_id, publicKey),
          log: (line) => void appendLog(logFile, line),
          onStatus: (status: TunnelStatus) => {
            const changed =
              status.connected !== shared.status.connected || status.reconnects !== shared.status.reconnects;
            shared.status = status;
            if (changed && state.ready) {
              o.reporter.info(`${e.name}: ${status.connected ? "connected" : `down (${status.lastError ?? "?"})`}`);
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
        hint: /certificate/.test(message)
          ? "The edge does not trust mysocket's certificates (MYSOCKET_SSH points elsewhere?)"
          : undefined,
      });
    });
  } catch (error) {
    await cleanup();
    state.error = error instanceof LabError ? error.toLine() : String(error);
    state.sockets = [];
    await save();
    o.onReady?.(state);
    throw error;
  }
  state.ready = true;
  await save();
  o.onReady?.(state);

  // Tokens last hours; refresh well before expiry while tunnels run (every reconnect signs a new key).
  const refreshEvery = o.token.expiresAt
    ? Math.max(60_000, Math.min(3_600_000, (o.token.expiresAt - Date.now()) / 2))
    : 3_600_000;
  const refresher = setInterval(async () => {
    try {
      const { token } = await api.refresh();
      api.setToken(token);
      if (o.token.file) await saveToken(o.token.file, token);
      o.reporter.debug("refreshed the mysocket token");
    } catch (error) {
      o.reporter.warn(`cannot refresh the mysocket token: ${(error as Error).message}`);
    }
  }, refreshEvery);
  const heartbeat = setInterval(() => void save(), 5_000);

  await new Promise<void>((resolve) => {
    if (o.signal.aborted) return resolve();
    o.signal.addEventListener("abort", () => resolve(), { once: true });
  });
  clearInterval(refresher);
  clearInterval(heartbeat);
  await cleanup();
  state.ready = false;
  state.stoppedAt = new Date().toISOString();
  for (const s of state.sockets) s.status = { ...s.status, connected: false };
  await save();
  o.reporter.info(`closed ${tunnels.length} tunnel${tunnels.length === 1 ? "" : "s"} and deleted their sockets`);
}
