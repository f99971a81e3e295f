import { appendFile, mkdir } from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { outputStream } from "../../runtime/docker/hijack.ts";
import { LabError } from "../errors.ts";
import type { HostSet } from "../hosts/hosts.ts";
import { acceptWebSocket } from "../http/websocket.ts";
import type { LabModel } from "../topology/model.ts";
import { consoleTarget, openConsole } from "./session.ts";

// The terminals of lab's page server (lab graph, lab's console server): a WebSocket per terminal at
// /terminal/<node>/ws, a session over the engine's hijacked exec behind each. The browser sends JSON
// text ({type: "input", data} and {type: "resize", rows, cols}); the server sends the terminal's
// bytes as binary messages and what happens as JSON text ({type: "exit", code}, {type: "error",
// message, stopped}). Read-only terminals drop what is typed. Each session is recorded (who, node,
// start, end) in clab-<lab>/share/console-sessions.jsonl.

export interface TerminalContext {
  lab: LabModel;
  hosts: HostSet;
  /** Keystrokes are dropped (a shared console for watching). */
  readOnly?: boolean;
  /** Who is on the other end, for the session log (a login name; else the peer's address). */
  who?: (req: IncomingMessage) => string;
  onError?: (message: string) => void;
  /** Called with the open sessions whenever one starts or ends. */
  onChange?: (sessions: TerminalSession[]) => void;
}

export interface TerminalSession {
  node: string;
  who: string;
  since: string;
  readOnly: boolean;
}

/** The node a terminal URL names: /terminal/<node> (page) or /terminal/<node>/ws (its socket). */
export function terminalNode(url: string): { node: string; socket: boolean } | undefined {
  const m = /^\/terminal\/([^/]+)(\/ws)?\/?$/.exec(url);
  if (!m) return undefined;
  try {
    return { node: decodeURIComponent(m[1] as string), socket: !!m[2] };
  } catch {
    return undefined;
  }
}

/** Open terminal sessions, for lab share status and the page. */
export class TerminalSessions {
  readonly open = new Set<TerminalSession>();
  private readonly sockets = new Set<Duplex>();

  /** Ends every terminal (the server is stopping). */
  closeAll(): void {
    for (const s of this.sockets) s.destroy();
  }

  constructor(private readonly ctx: TerminalContext) {}

  private async record(s: TerminalSession, end?: string) {
    const dir = `${this.ctx.lab.labDir}/share`;
    const line = `${JSON.stringify({ ...s, start: s.since, ...(end ? { end } : {}) })}\n`;
    await mkdir(dir, { recursive: true, mode: 0o700 }).catch(() => {});
    await appendFile(`${dir}/console-sessions.jsonl`, line, { mode: 0o600 }).catch(() => {});
  }

  /** Takes an upgrade to /terminal/<node>/ws (access already checked) and runs the session. */
  async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, node: string): Promise<void> {
    this.sockets.add(socket);
    socket.once("close", () => this.sockets.delete(socket));
    let session: Awaited<ReturnType<typeof openConsole>> | undefined;
    const pending: { rows: number; cols: number }[] = [];
    // What is typed before the node's process has started is kept for it, in order.
    const early: string[] = [];
    const ws = acceptWebSocket(req, socket, head, {
      onMessage: (m) => {
        if (typeof m !== "string") return;
        let msg: { type?: string; data?: string; rows?: number; cols?: number };
        try {
          msg = JSON.parse(m);
        } catch {
          return;
        }
        if (msg.type === "input" && typeof msg.data === "string" && !this.ctx.readOnly) {
          if (session) session.socket.write(msg.data);
          else early.push(msg.data);
        }
        if (msg.type === "resize" && Number.isInteger(msg.rows) && Number.isInteger(msg.cols)) {
          const size = {
            rows: Math.min(Math.max(msg.rows as number, 1), 500),
            cols: Math.min(Math.max(msg.cols as number, 1), 1000),
          };
          if (session) void session.resize(size.rows, size.cols).catch(() => {});
          else pending.push(size);
        }
      },
      onClose: () => session?.socket.destroy(),
    });
    if (!ws) return;
    const info: TerminalSession = {
      node,
      who: this.ctx.who?.(req) ?? req.socket.remoteAddress ?? "?",
      since: new Date().toISOString(),
      readOnly: !!this.ctx.readOnly,
    };
    try {
      const target = await consoleTarget(this.ctx.hosts, this.ctx.lab.name, node);
      session = await openConsole(this.ctx.hosts, target, {
        tty: true,
        size: pending.at(-1) ?? { rows: 24, cols: 80 },
      });
      session.socket.on("error", () => {});
    } catch (error) {
      const e = error instanceof LabError ? error : new LabError("internal", (error as Error).message);
      ws.send(JSON.stringify({ type: "error", message: e.message, stopped: e.code === "conflict" }));
      ws.close(1000);
      return;
    }
    if (ws.closed) {
      session.socket.destroy();
      return;
    }
    const last = pending.at(-1);
    if (last) void session.resize(last.rows, last.cols).catch(() => {});
    for (const data of early.splice(0)) session.socket.write(data);
    this.open.add(info);
    this.ctx.onChange?.([...this.open]);
    void this.record(info);
    try {
      const reader = outputStream(session).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done || ws.closed) break;
        ws.send(value);
      }
      if (!ws.closed) {
        ws.send(JSON.stringify({ type: "exit", code: await session.exitCode() }));
        ws.close(1000);
      }
    } catch (error) {
      this.ctx.onError?.(`terminal on ${node}: ${(error as Error).message}`);
      ws.close(1011);
    } finally {
      this.open.delete(info);
      this.ctx.onChange?.([...this.open]);
      void this.record(info, new Date().toISOString());
    }
  }
}
