import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { type TerminalSession, TerminalSessions, terminalNode } from "../console/terminal-server.ts";
import { LabError } from "../errors.ts";
import type { HostSet } from "../hosts/hosts.ts";
import type { LabModel } from "../topology/model.ts";
import { checkAccess, isLoopback, LoginGuard } from "./access.ts";
import type { EditHooks } from "./edit/routes.ts";
import { LiveGraph } from "./live-graph.ts";
import { type GraphAssets, type RouteContext, route } from "./routes.ts";

// lab graph's server: access first (access.ts), then the page's routes (routes.ts), the terminals'
// WebSockets on upgrade, and the live graph (live-graph.ts) following the engines' events, until
// the signal stops it all.

export type { GraphAssets } from "./routes.ts";

export interface GraphServerOptions {
  host: string;
  port: number;
  /** The per-run token a non-loopback bind asks for (core/graph/access.ts); none: not asked. */
  token?: string;
  lab: LabModel;
  /** The hosts the lab runs on: their engines' events redraw the page. */
  deps: { hosts: HostSet };
  assets: GraphAssets;
  signal: AbortSignal;
  /** Whether the engine answers (else the file is drawn, nothing live). */
  live: boolean;
  /** Terminals show output and drop keystrokes (a shared console for watching). */
  readOnly?: boolean;
  /** A login every request needs (a shared console, tools gotty): HTTP Basic, rate-limited. */
  login?: { user: string; password: string };
  /** lab graph --edit: the page may change the topology file and deploy it (loopback or a login only). */
  edit?: EditHooks;
  /** Called with the open terminal sessions whenever one starts or ends (lab share status). */
  onSessions?(sessions: TerminalSession[]): void;
  onListening(url: string): void;
  onError?(message: string): void;
}

const IMPAIRMENT_POLL_MS = 3000;

export async function serveGraph(o: GraphServerOptions): Promise<void> {
  if (o.edit && !isLoopback(o.host) && !o.login)
    throw new LabError("usage", `--edit serves a page that changes the lab: not on ${o.host} without a login`, {
      hint: "Serve it on loopback (--srv 127.0.0.1:PORT), or set LAB_CONSOLE_PASSWORD for the page's login",
    });
  const graph = await LiveGraph.start(o.lab, o.deps.hosts, o.live, o.onError);
  const guard = new LoginGuard();
  const login = o.login && { ...o.login, guard };
  let port = o.port;
  const access = (req: IncomingMessage) =>
    checkAccess(
      { host: o.host, port, token: o.token, login, peer: req.socket.remoteAddress },
      { url: req.url ?? "/", headers: req.headers },
    );
  // Terminals (and captures) reach into the nodes: beyond loopback never without a credential (a
  // token or a login), even when the page itself is served open (--no-auth).
  const terminalsOn = isLoopback(o.host) || !!o.token || !!o.login;
  const isNode = (name: string) =>
    terminalsOn && routes.lab.nodes.some((n) => n.name === name && !["bridge", "host", "skip"].includes(n.kind.role));
  const terminals = new TerminalSessions({
    lab: o.lab,
    hosts: o.deps.hosts,
    readOnly: o.readOnly,
    // Behind a login the session log names the login; else the peer's address.
    who: (req) => `${o.login ? `${o.login.user}@` : ""}${req.socket.remoteAddress ?? "?"}`,
    onError: o.onError,
    onChange: o.onSessions,
  });
  const routes: RouteContext = {
    lab: o.lab,
    hosts: o.deps.hosts,
    assets: o.assets,
    graph,
    live: o.live,
    readOnly: o.readOnly,
    isNode,
    ...(o.edit ? { edit: o.edit } : {}),
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const verdict = access(req);
    if (!verdict.ok) {
      res.writeHead(verdict.status, {
        "content-type": "text/plain; charset=utf-8",
        "cache-control": "no-store",
        ...verdict.headers,
      });
      res.end(verdict.message);
      return;
    }
    const extra: Record<string, string> = verdict.setCookie ? { "set-cookie": verdict.setCookie } : {};
    route(
      {
        req,
        res,
        url: (req.url ?? "/").split("?")[0] ?? "/",
        extra,
        send(status, type, body) {
          res.writeHead(status, { "content-type": type, "cache-control": "no-store", ...extra });
          res.end(body);
        },
      },
      routes,
    );
  });
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const verdict = access(req);
    const terminal = terminalNode((req.url ?? "/").split("?")[0] ?? "");
    if (!verdict.ok || !terminal?.socket || !isNode(terminal.node)) {
      const status = verdict.ok ? 404 : verdict.status;
      socket.end(`HTTP/1.1 ${status} ${status === 404 ? "Not Found" : "Forbidden"}\r\nconnection: close\r\n\r\n`);
      return;
    }
    void terminals.upgrade(req, socket, head, terminal.node);
  });

  port = await listen(server, o.host, o.port);
  o.onListening(
    `http://${o.host.includes(":") ? `[${o.host}]` : o.host}:${port}/${o.token ? `?token=${o.token}` : ""}`,
  );
  const timers = o.live ? await followEngines(o, graph) : [];
  await new Promise<void>((resolve) => {
    if (o.signal.aborted) return resolve();
    o.signal.addEventListener("abort", () => resolve(), { once: true });
  });
  for (const t of timers) clearInterval(t);
  graph.close();
  terminals.closeAll();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Listens, or says in one line why it cannot; resolves with the port (the one picked for 0). */
async function listen(server: ReturnType<typeof createServer>, host: string, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) =>
      reject(
        e.code === "EADDRINUSE"
          ? new LabError("conflict", `cannot serve on ${host}:${port}: the address is in use`, {
              hint: "Pick another with --srv HOST:PORT",
            })
          : e.code === "EADDRNOTAVAIL"
            ? new LabError("usage", `cannot serve on ${host}:${port}: no such address on this host`, {
                hint: "Use --srv with an address of this host (127.0.0.1:50080)",
              })
            : new LabError("internal", `cannot serve on ${host}:${port}: ${e.message}`),
      ),
    );
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  return typeof address === "object" && address ? address.port : port;
}

/**
 * The engines' container events for the lab redraw the page; impairments change without an event
 * (polled while a page follows); heartbeats keep proxies from closing an idle stream.
 */
async function followEngines(o: GraphServerOptions, graph: LiveGraph): Promise<ReturnType<typeof setInterval>[]> {
  for (const h of o.deps.hosts.all) {
    const following = await h.docker.system.events(
      { type: ["container"], label: [`containerlab=${o.lab.name}`] },
      () => graph.refresh(),
      o.signal,
    );
    following.ended.catch((e) =>
      o.onError?.(
        `the engine's event stream${h.name === "local" ? "" : ` on ${h.name}`} ended: ${(e as Error).message}`,
      ),
    );
  }
  return [
    setInterval(() => graph.clients.size && graph.refresh(), IMPAIRMENT_POLL_MS),
    setInterval(() => {
      for (const res of graph.clients) res.write(": keep-alive\n\n");
    }, 15000),
  ];
}
