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
  const share = new ShareRun(o);
  const entries = await share.prepare();
  try {
    await share.open(entries);
    await share.connect();
  } catch (error) {
    await share.fail(error);
    throw error;
  }
  await share.markReady();
  await share.holdUntilStopped();
  await share.stop();
}

type NamedEntry = ShareEntry & { name: string };

class ShareRun {
  /** What the provider says along the way, kept for whoever started a detached share. */
  private readonly notes: string[] = [];
  private readonly reporter: Reporter;
  private readonly state: ShareState;
  private readonly opened: OpenedSocket[] = [];
  private readonly tunnels: Tunnel[] = [];
  private writing = Promise.resolve();

  constructor(private readonly o: ShareOptions) {
    const keep =
      (say: (m: string) => void) =>
      (m: string): void => {
        this.notes.push(m);
        say(m);
      };
    this.reporter = {
      ...o.reporter,
      info: keep((m) => o.reporter.info(m)),
      warn: keep((m) => o.reporter.warn(m)),
    };
    this.state = {
      lab: o.lab,
      pid: process.pid,
      startedAt: new Date().toISOString(),
      provider: o.provider.id,
      providerArgs: o.provider.args,
      api: o.provider.describe(),
      edge: "",
      ready: false,
      sockets: [],
    };
  }

  private save(): Promise<void> {
    this.writing = this.writing
      .then(() => writeState(this.o.labDir, { ...this.state, ...this.o.extraState?.() }))
      .catch(() => {});
    return this.writing;
  }

  /** Every node runs; the provider is ready; what this lab left at the service before is gone. */
  async prepare(): Promise<NamedEntry[]> {
    const { o } = this;
    await mkdir(shareDir(o.labDir), { recursive: true });
    for (const e of o.entries)
      if (!o.targets.get(e.node))
        throw new LabError("input", `node ${e.node} is not running, so its ports cannot be published`, {
          hint: "Run lab up first",
        });
    o.provider.checkEntries?.(o.entries);
    await o.provider.prepare(this.reporter);
    const entries = o.entries.map((e) => ({
      ...e,
      name: o.provider.nameFor(o.lab, e.node, e.entry.type, e.entry.port),
    }));
    const previous = readState(o.labDir);
    const names = new Set([...entries.map((e) => e.name), ...(previous?.sockets.map((s) => s.name) ?? [])]);
    const removed = await o.provider.removeStale(names, o.reporter);
    if (removed.length)
      o.reporter.info(`deleted ${removed.length} stale socket${removed.length === 1 ? "" : "s"} of lab ${o.lab}`);
    return entries;
  }

  /** A socket at the service and a tunnel (not started yet) per entry. */
  async open(entries: NamedEntry[]): Promise<void> {
    for (const e of entries) {
      const socket = await this.o.provider.open(e, this.o.lab, this.reporter);
      this.opened.push(socket);
      const { address: host, dial } = this.o.targets.get(e.node) as { address: string; dial?: Dialer };
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
      this.state.edge = `${socket.tunnel.edge.host}:${socket.tunnel.edge.port}`;
      this.state.sockets.push(shared);
      this.tunnels.push(this.tunnelFor(socket, shared, { host, port: e.entry.port, ...(dial ? { dial } : {}) }));
    }
  }

  /** A socket's tunnel, its status and the address it learns (an SSH edge says it) kept in the state. */
  private tunnelFor(socket: OpenedSocket, shared: SharedSocket, target: { host: string; port: number; dial?: Dialer }) {
    const logFile = socketLogPath(this.o.labDir, socket.name);
    let output = "";
    const learn = () => {
      const address = socket.addressFor?.(shared.status.edgePort, output);
      if (address && address !== shared.address) {
        shared.address = address;
        if (this.state.ready) void this.save();
      }
    };
    return new Tunnel({
      ...socket.tunnel,
      target,
      log: (line) => void appendLog(logFile, line),
      onOutput: (text) => {
        output = (output + text).slice(-4096);
        socket.tunnel.onOutput?.(text);
        learn();
      },
      onStatus: (status: TunnelStatus) => {
        const changed = status.connected !== shared.status.connected || status.reconnects !== shared.status.reconnects;
        shared.status = status;
        if (status.edgePort && !shared.ports.length) shared.ports = [status.edgePort];
        learn();
        if (changed && this.state.ready) {
          this.o.reporter.info(
            `${socket.name}: ${status.connected ? "connected" : `down (${status.lastError ?? "?"})`}`,
          );
          void this.save();
        }
      },
    });
  }

  /** Starts the tunnels and waits (bounded) until every one is up; then the provider's own step. */
  async connect(): Promise<void> {
    const { o, state } = this;
    await this.save();
    for (const t of this.tunnels) t.start();
    const limit = o.readyTimeoutMs ?? 30_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new LabError("remote", `tunnels did not come up within ${limit / 1000} s`)),
        limit,
      );
    });
    await Promise.race([Promise.all(this.tunnels.map((t) => t.ready)), timeout])
      .catch((error) => {
        const message =
          error instanceof LabError
            ? error.message
            : `cannot connect to the edge ${state.edge}: ${(error as Error).message}`;
        throw new LabError(error instanceof LabError ? error.code : "remote", message, {
          hint:
            /certificate/.test(message) && o.provider.id === "mysocket"
              ? "The edge does not trust mysocket's certificates (MYSOCKET_SSH points elsewhere?)"
              : undefined,
        });
      })
      .finally(() => clearTimeout(timer));
    await o.provider.whileUp?.(
      state.sockets.map((s) => ({ name: s.name, edgePort: s.status.edgePort })),
      this.reporter,
    );
  }

  private async closeAll(): Promise<void> {
    for (const t of this.tunnels) t.stop();
    for (const s of this.opened)
      await this.o.provider
        .close(s)
        .catch((e) => this.o.reporter.warn(`cannot delete socket ${s.name}: ${(e as Error).message}`));
  }

  /** Nothing left open; the state says why. */
  async fail(error: unknown): Promise<void> {
    await this.closeAll();
    this.state.error = error instanceof LabError ? error.toLine() : String(error);
    this.state.sockets = [];
    await this.save();
    this.o.onReady?.(this.state);
  }

  async markReady(): Promise<void> {
    this.state.ready = true;
    this.state.notes = this.notes;
    await this.save();
    this.o.onReady?.(this.state);
  }

  /** Until the signal: the provider's token kept fresh (each refresh says when the next is due), the state saved. */
  async holdUntilStopped(): Promise<void> {
    const { o } = this;
    let refresher: ReturnType<typeof setTimeout> | undefined;
    const scheduleRefresh = () => {
      const upkeep = o.provider.refresh;
      if (!upkeep || o.signal.aborted) return;
      refresher = setTimeout(() => {
        upkeep
          .run(o.reporter)
          .catch((error) => o.reporter.warn(`cannot refresh the ${o.provider.id} token: ${(error as Error).message}`))
          .finally(scheduleRefresh);
      }, upkeep.nextInMs());
    };
    scheduleRefresh();
    const heartbeat = setInterval(() => void this.save(), 5_000);
    await new Promise<void>((resolve) => {
      if (o.signal.aborted) return resolve();
      o.signal.addEventListener("abort", () => resolve(), { once: true });
    });
    clearTimeout(refresher);
    clearInterval(heartbeat);
  }

  /** Tunnels closed, sockets deleted, the state says when. */
  async stop(): Promise<void> {
    await this.closeAll();
    this.state.ready = false;
    this.state.stoppedAt = new Date().toISOString();
    for (const s of this.state.sockets) s.status = { ...s.status, connected: false };
    await this.save();
    const n = this.tunnels.length;
    this.o.reporter.info(
      `closed ${n} tunnel${n === 1 ? "" : "s"}${this.o.provider.id === "ssh" ? "" : " and deleted their sockets"}`,
    );
  }
}
