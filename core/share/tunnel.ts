import { generateKeyPairSync } from "node:crypto";
import { connect as tcpConnect } from "node:net";
import ssh2 from "ssh2";
import { certifiedKey, publicKeyLine } from "./ssh-cert.ts";

export interface TunnelTarget {
  host: string;
  port: number;
}

export interface TunnelStatus {
  connected: boolean;
  since?: string;
  reconnects: number;
  lastError?: string;
  connections: number;
}

export interface TunnelOptions {
  edge: { host: string; port: number };
  sshUser: string;
  /** The edge port to forward (the tunnel's local_port). */
  remotePort: number;
  target: TunnelTarget;
  /** A certificate for this public key line, fetched before every (re)connect. */
  signKey(publicKey: string): Promise<string>;
  log(line: string): void;
  onStatus(status: TunnelStatus): void;
  /** Reconnect backoff bounds. */
  backoff?: { initialMs: number; maxMs: number };
}

/** A fresh ECDSA P-256 key (as mysocketctl used), PEM. */
export function newKey(): string {
  return generateKeyPairSync("ec", { namedCurve: "prime256v1" })
    .privateKey.export({ type: "sec1", format: "pem" })
    .toString();
}

/**
 * Holds one reverse tunnel: SSH to the edge with a freshly signed certificate, ask for the remote
 * forward on the tunnel's port, and pipe every forwarded connection to the node. Keepalives detect
 * a dead edge; on any drop it reconnects with capped exponential backoff and a new certificate.
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

  private update(patch: Partial<TunnelStatus>) {
    this.status = { ...this.status, ...patch };
    this.options.onStatus({ ...this.status });
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const { edge, sshUser, remotePort, target, log } = this.options;
    let key: unknown;
    try {
      const pem = newKey();
      const cert = await this.options.signKey(publicKeyLine(pem));
      key = certifiedKey(pem, cert);
    } catch (error) {
      return this.fail(`cannot get a certificate: ${(error as Error).message}`);
    }
    const client = new ssh2.Client();
    this.client = client;
    let settled = false;
    client.on("ready", () => {
      client.forwardIn("localhost", remotePort, (err) => {
        if (err) {
          settled = true;
          client.end();
          return this.fail(`the edge refused the forward of port ${remotePort}: ${err.message}`);
        }
        settled = true;
        this.attempt = 0;
        log(
          `connected to ${edge.host}:${edge.port}, forwarding edge port ${remotePort} to ${target.host}:${target.port}`,
        );
        this.update({ connected: true, since: new Date().toISOString(), lastError: undefined });
        this.firstUp?.();
      });
    });
    client.on("tcp connection", (_info, accept) => {
      const channel = accept();
      const upstream = tcpConnect(target.port, target.host);
      this.update({ connections: this.status.connections + 1 });
      upstream.on("error", (e) => {
        log(`cannot reach ${target.host}:${target.port}: ${e.message}`);
        channel.close();
      });
      channel.on("error", () => upstream.destroy());
      channel.pipe(upstream).pipe(channel);
    });
    client.on("error", (err) => {
      if (!settled) {
        settled = true;
        const text = /All configured authentication methods failed/.test(err.message)
          ? "the edge refused the certificate"
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
        this.fail("the edge closed the connection");
      }
    });
    client.connect({
      host: edge.host,
      port: edge.port,
      username: sshUser,
      // connect()'s privateKey only takes PEM text; a prepared key object goes through authHandler.
      authHandler: [{ type: "publickey", username: sshUser, key }] as never,
      keepaliveInterval: 10_000,
      keepaliveCountMax: 4,
      readyTimeout: 15_000,
      debug: process.env.LAB_SSH_DEBUG ? (s: string) => console.error(s) : undefined,
    });
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
    const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 500, maxMs: 30_000 };
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
