import type { IncomingMessage, ServerResponse } from "node:http";
import { capture, captureTargets } from "../capture/capture.ts";
import { terminalNode } from "../console/terminal-server.ts";
import { silentReporter } from "../deploy/reporter.ts";
import { LabError } from "../errors.ts";
import type { HostSet } from "../hosts/hosts.ts";
import { startNodes } from "../lifecycle/index.ts";
import type { LabModel } from "../topology/model.ts";
import { originIsHost } from "./access.ts";
import { type EditHooks, editRoute } from "./edit/routes.ts";
import type { LiveGraph } from "./live-graph.ts";

// The page server's answers, a table: each route says what it matches and how it answers. Access
// is checked before any of them (server.ts); none sends CORS headers.

export interface GraphAssets {
  INDEX_HTML: string;
  APP_JS: string;
  FAVICON_SVG: string;
  TERMINAL_HTML: string;
  TERMINAL_JS: string;
}

export interface RouteContext {
  /** The lab drawn (the editor replaces it as it changes). */
  lab: LabModel;
  hosts: HostSet;
  assets: GraphAssets;
  graph: LiveGraph;
  /** Whether the engine answers (captures and starts need it). */
  live: boolean;
  readOnly?: boolean;
  /** A running node's terminal or capture may be served (a credential guards them beyond loopback). */
  isNode(name: string): boolean;
  /** lab graph --edit: the editing session and how to plan and deploy what it saved. */
  edit?: EditHooks;
}

export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  /** The path, without the query. */
  url: string;
  /** Headers every answer carries (the token's cookie). */
  extra: Record<string, string>;
  send(status: number, type: string, body: string): void;
}

type Route = {
  match: (x: Exchange, c: RouteContext) => RegExpExecArray | boolean | null;
  answer: (x: Exchange, c: RouteContext, m: RegExpExecArray | boolean) => void;
};

const TEXT = "text/plain; charset=utf-8";
const path = (p: string) => (x: Exchange) => x.url === p;
const decode = (m: RegExpExecArray | boolean, i: number) => decodeURIComponent((m as RegExpExecArray)[i] as string);

const ROUTES: Route[] = [
  {
    match: (x) => x.url === "/" || x.url === "/index.html",
    answer: (x, c) => x.send(200, "text/html; charset=utf-8", c.assets.INDEX_HTML),
  },
  { match: path("/app.js"), answer: (x, c) => x.send(200, "text/javascript; charset=utf-8", c.assets.APP_JS) },
  { match: path("/favicon.ico"), answer: (x, c) => x.send(200, "image/svg+xml", c.assets.FAVICON_SVG) },
  { match: path("/graph.json"), answer: (x, c) => x.send(200, "application/json", c.graph.json) },
  {
    match: path("/terminal.js"),
    answer: (x, c) => x.send(200, "text/javascript; charset=utf-8", c.assets.TERMINAL_JS),
  },
  { match: path("/events"), answer: (x, c) => c.graph.follow(x.res, (off) => x.req.on("close", off)) },
  {
    // A node's terminal page (its WebSocket is the upgrade's).
    match: (x, c) => {
      const t = terminalNode(x.url);
      return !!t && !t.socket && c.isNode(t.node);
    },
    answer: (x, c) => x.send(200, "text/html; charset=utf-8", c.assets.TERMINAL_HTML),
  },
  {
    // A link end's packets, as a pcapng download Wireshark reads while it grows; the reader going
    // away (the response's connection closing) ends the capture.
    match: (x, c) => (c.live ? /^\/capture\/([^/]+)\/([^/]+)$/.exec(x.url) : null),
    answer: (x, c, m) => {
      if (!c.isNode(decode(m, 1))) return x.send(404, TEXT, "not found\n");
      const spec = `${decode(m, 1)}:${decode(m, 2)}`;
      const stop = new AbortController();
      x.res.on("close", () => stop.abort());
      captureTargets(c.hosts, { name: c.lab.name, model: c.lab }, [spec])
        .then((targets) => {
          x.res.writeHead(200, {
            "content-type": "application/x-pcapng",
            "content-disposition": `attachment; filename="${spec.replace(/[^\w.-]+/g, "_")}.pcapng"`,
            "cache-control": "no-store",
            ...x.extra,
          });
          return capture(c.hosts, targets, { signal: stop.signal, write: (b) => x.res.write(b) });
        })
        .then(() => x.res.end())
        .catch((e) => {
          if (x.res.headersSent) return x.res.end();
          x.send(e instanceof LabError && e.code === "not-found" ? 404 : 400, TEXT, `${(e as Error).message}\n`);
        });
    },
  },
  {
    // The terminal page's "Start node" for a stopped node.
    match: (x) => (x.req.method === "POST" ? /^\/api\/nodes\/([^/]+)\/start$/.exec(x.url) : null),
    answer: (x, c, m) => {
      const node = decode(m, 1);
      if (!c.isNode(node)) return x.send(404, TEXT, "not found\n");
      if (c.readOnly) return x.send(403, TEXT, "read-only: nodes cannot be started here\n");
      // A form of another site can POST here without asking first; its Origin gives it away.
      if (!originIsHost(x.req)) return x.send(403, TEXT, "nodes are started only from this server's own page\n");
      startNodes({ lab: c.lab.name, nodes: [node] }, { hosts: c.hosts, reporter: silentReporter })
        .then(() => {
          c.graph.refresh();
          x.send(200, TEXT, "started\n");
        })
        .catch((e) => x.send(500, TEXT, `${(e as Error).message}\n`));
    },
  },
];

/** Answers a request that passed the access check: the first route that matches, else 404. */
export function route(x: Exchange, c: RouteContext): void {
  if (x.url.startsWith("/edit/") && editRoute(x, c)) return;
  for (const r of ROUTES) {
    const m = r.match(x, c);
    if (m) {
      r.answer(x, c, m);
      return;
    }
  }
  x.send(404, "text/plain", "not found\n");
}
