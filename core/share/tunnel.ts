import { generateKeyPairSync } from "node:crypto";
import { connect as tcpConnect } from "node:net";
import type { Duplex } from "node:stream";
import ssh2 from "ssh2";
import { setKeepaliveRequest } from "./ssh2-adapter.ts";

export interface TunnelTarget {
  host: string;
  port: number;
  /** Opens the connection to the node: through its host's SSH when it runs on another machine. */
  dial?: Dialer;
}

export type Dialer = (host: string, port: number) => Promise<Duplex>;

export interface TunnelStatus {
  connected: boolean;
  since?: string;
  reconnects: number;
  lastError?: string;
  connections: number;
  /** The port the edge listens on for this tunnel (it may pick it). */
  edgePort?: number;
}

/** How a tunnel logs in, worked out again before every (re)connect. */
export type TunnelAuth = { type: string; username: string; [k: string]: unknown }[];

export interface TunnelOptions {
  edge: { host: string; port: number };
  username: string;
  /** ssh2 auth methods for this connect: a freshly certified key, or the user's agent and keys. */
  auth(): Promise<TunnelAuth>;
  /** Checks the edge's host key (SSH wire format); a string says why it is refused. */
  verifyHostKey?(key: Buffer): true | string;
  /** The remote forward asked for: address and port (0: the edge picks; a list: first free). */
  forward: { bind: string; ports: number[] };
  target: TunnelTarget;
  /** A session with a pty and a shell held open beside the forward (Border0's edge wants one). */
  shell?: "pty" | "plain";
  /** What the edge prints on that session (sish tells the public address there). */
  onOutput?(text: string): void;
  /** The keepalive global request (default keepalive@openssh.com), every 10 s; 4 missed = dead. */
  keepaliveRequest?: string;
  log(line: string): void;
  onStatus(status: TunnelStatus): void;
  /** Reconnect backoff bounds. */
  backoff?: { initialMs: number; maxMs: number };
}

/** A fresh ECDSA P-256 key, PEM: a new one for every connect that uses a certificate. */
export function newKey(): string {
  return generateKeyPairSync("ec", { namedCurve: "prime256v1" })
    .privateKey.export({ type: "sec1", format: "pem" })
    .toString();
}

/**
 * Holds one reverse tunnel: SSH to the edge, ask for the remote forward, and pipe every forwarded
 * connection to the node. Keepalives detect a dead edge; on any drop it reconnects with capped
 * exponential backoff (and, where the provider signs keys, a new certificate).
 */
export class Tunnel {
  private status: TunnelStatus = { connected: false, reconnects: 0, connections: 0 };
  private client?: ssh2.Client;
  private stopped = false;
  private timer?: ReturnType<typeof setTimeout>;
  private attempt = 0;
  private firstUp?: (value: void) => void;
  private firstFail?: (error: Error) => void;
  readonly ready: Promise<void>;

  constructor(private readonly options: TunnelOptions) {
    this.ready = new Promise((resolve, reject) => {
      this.firstUp = resolve;
      this.firstFail = reject;
    });
    this.ready.catch(() => {});
  }

  start(): void {
    void this.connect();
  }

  get current(): TunnelStatus {
    return { ...this.status };
  }

  private update(patch: Partial<TunnelStatus>) {
    this.status = { ...this.status, ...patch };
    this.options.onStatus({ ...this.status });
  }

  /** Asks for the forward on each candidate port until the edge grants one. */
  private forward(client: ssh2.Client, ports: number[], done: (err: Error | undefined, port?: number) => void) {
    const [port, ...rest] = ports;
    client.forwardIn(this.options.forward.bind, port ?? 0, (err, granted) => {
      if (err && rest.length) return this.forward(client, rest, done);
      done(err ?? undefined, err ? undefined : granted || port);
    });
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const { edge, username, target, log } = this.options;
    let auth: TunnelAuth;
    try {
      auth = await this.options.auth();
    } catch (error) {
      return this.fail(`cannot get a key for the edge: ${(error as Error).message}`);
    }
    const client = new ssh2.Client();
    this.client = client;
    let settled = false;
    let hostKeyProblem: string | undefined;
    client.on("ready", () => {
      if (this.options.keepaliveRequest) setKeepaliveRequest(client, this.options.keepaliveRequest);
      this.forward(client, this.options.forward.ports, (err, port) => {
        if (err) {
          settled = true;
          client.end();
          return this.fail(`the edge refused the forward (${this.options.forward.ports.join(", ")}): ${err.message}`);
        }
        const up = () => {
          settled = true;
          this.attempt = 0;
          log(`connected to ${edge.host}:${edge.port}, forwarding edge port ${port} to ${target.host}:${target.port}`);
          this.update({ connected: true, since: new Date().toISOString(), lastError: undefined, edgePort: port });
          this.firstUp?.();
        };
        if (!this.options.shell) return up();
        const opened = (e: Error | undefined, stream?: ssh2.ClientChannel) => {
          if (e || !stream) {
            settled = true;
            client.end();
            return this.fail(`the edge refused a session: ${e?.message ?? "no channel"}`);
          }
          stream.on("data", (d: Buffer) => this.options.onOutput?.(d.toString()));
          stream.stderr.on("data", (d: Buffer) => this.options.onOutput?.(d.toString()));
          // The edge ends the session when it drops the tunnel.
          stream.on("close", () => client.end());
          up();
        };
        if (this.options.shell === "pty") client.shell({ term: "xterm", rows: 24, cols: 80 }, opened);
        else client.shell(false, opened);
      });
    });
    client.on("tcp connection", (_info, accept) => {
      const channel = accept();
      this.update({ connections: this.status.connections + 1 });
      const refused = (e: Error) => {
        log(`cannot reach ${target.host}:${target.port}: ${e.message}`);
        channel.close();
      };
      const opening: Promise<Duplex> = target.dial
        ? target.dial(target.host, target.port)
        : Promise.resolve(tcpConnect(target.port, target.host));
      opening.then((upstream) => {
        upstream.on("error", refused);
        channel.on("error", () => upstream.destroy());
        channel.pipe(upstream).pipe(channel);
      }, refused);
    });
    client.on("error", (err) => {
      if (!settled) {
        settled = true;
        const text = hostKeyProblem
          ? hostKeyProblem
          : /All configured authentication methods failed/.test(err.message)
            ? "the edge refused the certificate or key"
            : err.message;
        this.fail(text);
      } else log(`connection error: ${err.message}`);
    });
    client.on("close", () => {
      if (this.client !== client) return;
      if (settled && this.status.connected) {
        log("connection closed");
        this.update({ connected: false, lastError: "connection closed" });
        this.scheduleReconnect();
      } else if (!settled) {
        settled = true;
        this.fail(hostKeyProblem ?? "the edge closed the connection");
      }
    });
    client.connect({
      host: edge.host,
      port: edge.port,
      username,
      // connect()'s privateKey only takes PEM text; prepared keys go through authHandler.
      authHandler: auth as never,
      keepaliveInterval: 10_000,
      keepaliveCountMax: 4,
      readyTimeout: 15_000,
      ...(this.options.verifyHostKey
        ? {
            hostVerifier: (key: Buffer) => {
              const verdict = (this.options.verifyHostKey as (k: Buffer) => true | string)(key);
              if (verdict === true) return true;
              hostKeyProblem = verdict;
              return false;
            },
          }
        : {}),
      debug: process.env.LAB_SSH_DEBUG ? (s: string) => console.error(s) : undefined,
    } as ssh2.ConnectConfig);
  }

  private fail(message: string) {
    this.options.log(message);
    this.update({ connected: false, lastError: message });
    // The first connect failing is a user-facing error; later ones are retried.
    if (this.status.reconnects === 0 && !this.status.since) {
      this.firstFail?.(new Error(message));
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect() {
    if (this.stopped) return;
    // Capped at 8 s: an edge that comes back is used again within 10 s.
    const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 500, maxMs: 8_000 };
    const delay = Math.min(maxMs, initialMs * 2 ** this.attempt++);
    this.timer = setTimeout(() => {
      this.update({ reconnects: this.status.reconnects + 1 });
      void this.connect();
    }, delay);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.client?.end();
    this.update({ connected: false });
  }
}
