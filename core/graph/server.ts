import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { capture, captureTargets } from "../capture/capture.ts";
import { type TerminalSession, TerminalSessions, terminalNode } from "../console/terminal-server.ts";
import { silentReporter } from "../deploy/reporter.ts";
import { LabError } from "../errors.ts";
import type { HostSet } from "../hosts/hosts.ts";
import { startNodes } from "../lifecycle/index.ts";
import type { LabModel } from "../topology/model.ts";
import { checkAccess, isLoopback, LoginGuard } from "./access.ts";
import { withPositions } from "./layout.ts";
import { liveInfo } from "./live.ts";
import { buildGraph, type Graph } from "./model.ts";

// lab graph's server: the page, the graph as JSON, and a server-sent event stream that carries
// the graph again whenever the engine reports a change to the lab's containers (and every few
// seconds when link impairments change), so the page follows without a reload.

export interface GraphAssets {
  INDEX_HTML: string;
  APP_JS: string;
  FAVICON_SVG: string;
  TERMINAL_HTML: string;
  TERMINAL_JS: string;
}

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
  /** Called with the open terminal sessions whenever one starts or ends (lab share status). */
  onSessions?(sessions: TerminalSession[]): void;
  onListening(url: string): void;
  onError?(message: string): void;
}

const IMPAIRMENT_POLL_MS = 3000;

export async function serveGraph(o: GraphServerOptions): Promise<void> {
  const build = async () =>
    buildGraph(o.lab, o.live ? await liveInfo(o.deps, o.lab, { impairments: true }) : undefined);
  // Laid out once: the nodes come from the topology; their states change, their places do not.
  const laid = await withPositions(await build());
  const positions = new Map(laid.nodes.map((n) => [n.id, n.position]));
  const place = (g: Graph): Graph => ({ ...g, nodes: g.nodes.map((n) => ({ ...n, position: positions.get(n.id) })) });
  let current = laid;
  let text = JSON.stringify(current);
  const clients = new Set<ServerResponse>();

  const push = (g: Graph) => {
    const next = JSON.stringify(g);
    if (next === text) return;
    current = g;
    text = next;
    for (const res of clients) res.write(`event: graph\ndata: ${text}\n\n`);
  };
  let pending: ReturnType<typeof setTimeout> | undefined;
  const refresh = () => {
    clearTimeout(pending);
    // Events come in bursts (kill, die, stop): one refresh after the burst.
    pending = setTimeout(() => {
      build()
        .then((g) => push(place(g)))
        .catch((e) => o.onError?.(`cannot refresh the graph: ${(e as Error).message}`));
    }, 100);
  };

  // Each node's terminal (/terminal/<node>): a page, and its WebSocket to the node's CLI.
  const guard = new LoginGuard();
  const login = o.login && { ...o.login, guard };
  const access = (req: IncomingMessage) =>
    checkAccess(
      { host: o.host, port, token: o.token, login, peer: req.socket.remoteAddress },
      { url: req.url ?? "/", headers: req.headers },
    );
  const terminals = new TerminalSessions({
    lab: o.lab,
    hosts: o.deps.hosts,
    readOnly: o.readOnly,
    // Behind a login the session log names the login; else the peer's address.
    who: (req) => `${o.login ? `${o.login.user}@` : ""}${req.socket.remoteAddress ?? "?"}`,
    onError: o.onError,
    onChange: o.onSessions,
  });
  // Terminals are shells on the nodes: beyond loopback never without a credential (a token or a
  // login), even when the page itself is served open (--no-auth).
  const terminalsOn = isLoopback(o.host) || !!o.token || !!o.login;
  const isNode = (name: string) =>
    terminalsOn && o.lab.nodes.some((n) => n.name === name && !["bridge", "host", "skip"].includes(n.kind.role));

  let port = o.port;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = (req.url ?? "/").split("?")[0];
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
    const cookie = verdict.setCookie ? { "set-cookie": verdict.setCookie } : {};
    // No CORS headers anywhere: no other site's page may read these answers.
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { "content-type": type, "cache-control": "no-store", ...cookie });
      res.end(body);
    };
    if (url === "/" || url === "/index.html") return send(200, "text/html; charset=utf-8", o.assets.INDEX_HTML);
    if (url === "/app.js") return send(200, "text/javascript; charset=utf-8", o.assets.APP_JS);
    if (url === "/favicon.ico") return send(200, "image/svg+xml", o.assets.FAVICON_SVG);
    if (url === "/graph.json") return send(200, "application/json", text);
    if (url === "/terminal.js") return send(200, "text/javascript; charset=utf-8", o.assets.TERMINAL_JS);
    const terminal = terminalNode(url ?? "");
    if (terminal && !terminal.socket && isNode(terminal.node))
      return send(200, "text/html; charset=utf-8", o.assets.TERMINAL_HTML);
    // A link end's packets, as a pcapng download that Wireshark reads while it grows; it ends when
    // the browser stops reading.
    const cap = /^\/capture\/([^/]+)\/([^/]+)$/.exec(url ?? "");
    if (cap && terminalsOn && o.live) {
      const spec = `${decodeURIComponent(cap[1] as string)}:${decodeURIComponent(cap[2] as string)}`;
      const stop = new AbortController();
      // The response's connection closing (the reader went away) ends the capture.
      res.on("close", () => stop.abort());
      captureTargets(o.deps.hosts, { name: o.lab.name, model: o.lab }, [spec])
        .then((targets) => {
          res.writeHead(200, {
            "content-type": "application/x-pcapng",
            "content-disposition": `attachment; filename="${spec.replace(/[^\w.-]+/g, "_")}.pcapng"`,
            "cache-control": "no-store",
            ...cookie,
          });
          return capture(o.deps.hosts, targets, { signal: stop.signal, write: (b) => res.write(b) });
        })
        .then(() => res.end())
        .catch((e) => {
          if (!res.headersSent)
            send(
              e instanceof LabError && e.code === "not-found" ? 404 : 400,
              "text/plain; charset=utf-8",
              `${(e as Error).message}\n`,
            );
          else res.end();
        });
      return;
    }
    const start = /^\/api\/nodes\/([^/]+)\/start$/.exec(url ?? "");
    if (start && req.method === "POST" && isNode(decodeURIComponent(start[1] as string))) {
      if (o.readOnly) return send(403, "text/plain; charset=utf-8", "read-only: nodes cannot be started here\n");
      startNodes(
        { lab: o.lab.name, nodes: [decodeURIComponent(start[1] as string)] },
        { hosts: o.deps.hosts, reporter: silentReporter },
      )
        .then(() => {
          refresh();
          send(200, "text/plain; charset=utf-8", "started\n");
        })
        .catch((e) => send(500, "text/plain; charset=utf-8", `${(e as Error).message}\n`));
      return;
    }
    if (url === "/events") {
      res.writeHead(200, {
        "content-type": "text/event-stream",
        "cache-control": "no-store",
        connection: "keep-alive",
      });
      res.write(`retry: 1000\nevent: graph\ndata: ${text}\n\n`);
      clients.add(res);
      req.on("close", () => clients.delete(res));
      return;
    }
    send(404, "text/plain", "not found\n");
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

  await new Promise<void>((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) =>
      reject(
        e.code === "EADDRINUSE"
          ? new LabError("conflict", `cannot serve on ${o.host}:${o.port}: the address is in use`, {
              hint: "Pick another with --srv HOST:PORT",
            })
          : e.code === "EADDRNOTAVAIL"
            ? new LabError("usage", `cannot serve on ${o.host}:${o.port}: no such address on this host`, {
                hint: "Use --srv with an address of this host (127.0.0.1:50080)",
              })
            : new LabError("internal", `cannot serve on ${o.host}:${o.port}: ${e.message}`),
      ),
    );
    server.listen(o.port, o.host, () => resolve());
  });
  const address = server.address();
  port = typeof address === "object" && address ? address.port : o.port;
  o.onListening(
    `http://${o.host.includes(":") ? `[${o.host}]` : o.host}:${port}/${o.token ? `?token=${o.token}` : ""}`,
  );

  const timers: ReturnType<typeof setInterval>[] = [];
  if (o.live) {
    for (const h of o.deps.hosts.all) {
      const following = await h.docker.system.events(
        { type: ["container"], label: [`containerlab=${o.lab.name}`] },
        () => refresh(),
        o.signal,
      );
      following.ended.catch((e) =>
        o.onError?.(
          `the engine's event stream${h.name === "local" ? "" : ` on ${h.name}`} ended: ${(e as Error).message}`,
        ),
      );
    }
    // Impairments change without an engine event.
    timers.push(setInterval(() => clients.size && refresh(), IMPAIRMENT_POLL_MS));
    // Heartbeats keep proxies from closing an idle stream.
    timers.push(
      setInterval(() => {
        for (const res of clients) res.write(": keep-alive\n\n");
      }, 15000),
    );
  }
  await new Promise<void>((resolve) => {
    if (o.signal.aborted) return resolve();
    o.signal.addEventListener("abort", () => resolve(), { once: true });
  });
  for (const t of timers) clearInterval(t);
  clearTimeout(pending);
  for (const res of clients) res.end();
  terminals.closeAll();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
