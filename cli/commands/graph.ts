import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { defineCommand, runCommand } from "citty";
import { listOnHosts } from "../../core/deploy/inspect.ts";
import { LabError } from "../../core/errors.ts";
import { isLoopback, newAccessToken } from "../../core/graph/access.ts";
import { type ExportFormat, exportFormats, exportPath } from "../../core/graph/exports.ts";
import { liveInfo } from "../../core/graph/live.ts";
import { buildGraph, filterGraph } from "../../core/graph/model.ts";
import { serveGraph } from "../../core/graph/server.ts";
import { localOnly } from "../../core/hosts/hosts.ts";
import type { LabModel } from "../../core/topology/index.ts";
import { cliContext, cliHosts } from "../context.ts";
import { logger } from "../logger.ts";
import { out } from "../out.ts";
import { loadAssets } from "./_assets.ts";
import { editHooks } from "./_graph-edit.ts";
import {
  globalArgs,
  hostArgs,
  interruptSignal,
  loadTopology,
  nodeFilter,
  nodeFilterArgs,
  repeated,
  topoArgs,
  topoOptions,
} from "./_shared.ts";

function parseSrv(value: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(value.trim());
  const port = Number(m?.[3]);
  if (!m || !Number.isInteger(port) || port > 65535)
    throw new LabError("usage", `--srv ${value} is not HOST:PORT`, {
      hint: "e.g. --srv 127.0.0.1:50080, or 0.0.0.0:8080 for others",
    });
  return { host: m[1] ?? (m[2] || "0.0.0.0"), port };
}

export default defineCommand({
  meta: {
    name: "graph",
    description: "Serve a live picture of the lab, or export it (--dot, --mermaid, --drawio, --format json)",
  },
  args: {
    ...topoArgs,
    name: { type: "string", description: "Lab name (its topology file is found from its containers)" },
    srv: {
      type: "string",
      alias: "s",
      default: "127.0.0.1:50080",
      description: "Address the page is served on (beyond loopback it asks for a per-run token)",
    },
    auth: {
      type: "boolean",
      default: true,
      description:
        "--no-auth: serve beyond loopback without the token; anyone who reaches the address sees the lab (terminals stay off)",
    },
    offline: { type: "boolean", alias: "o", description: "Only the topology file: no engine" },
    dot: { type: "boolean", description: "Write a Graphviz dot file" },
    mermaid: { type: "boolean", description: "Write a mermaid flowchart" },
    "mermaid-direction": { type: "string", default: "TD", description: "TB, TD, BT, RL or LR" },
    drawio: { type: "boolean", description: "Write a draw.io diagram beside the topology (<topology>.drawio)" },
    "drawio-args": {
      type: "string",
      description: "Accepted for Containerlab's scripts (flags of its clab-io-draw container); lab draws it itself",
    },
    "drawio-version": {
      type: "string",
      description: "Accepted for Containerlab's scripts (its clab-io-draw image tag); lab draws it itself",
    },
    template: { type: "string", description: "Not in lab: the page is lab's own, not a Go html template" },
    "static-dir": { type: "string", description: "Not in lab: the page carries its own files" },
    ...nodeFilterArgs,
    "read-only": { type: "boolean", description: "Terminals show output and drop what is typed" },
    edit: {
      type: "boolean",
      description:
        "The page edits the topology file (add, link, delete, rename, move; Save, Apply); -t FILE may not exist yet",
    },
    share: {
      type: "boolean",
      description: "Publish the page and its terminals (lab share --console --console-only; with --via, --provider)",
    },
    via: { type: "string", description: "With --share: your own SSH edge, ssh://user@host[:port]" },
    provider: { type: "string", description: "With --share: border0, ssh or mysocket" },
    format: {
      type: "enum",
      options: ["html", "json"],
      default: "html",
      alias: "f",
      description: "json: nodes, links, positions",
    },
    output: {
      type: "string",
      description: "Where an export goes (default clab-<lab>/graph/<topology>.<ext>; - for stdout)",
    },
    ...hostArgs,
    ...globalArgs,
  },
  async run({ args, rawArgs }) {
    if (args.share) return shareConsole(args);
    if (args.template || args["static-dir"])
      throw new LabError("usage", "--template and --static-dir are not in lab: its graph page is its own", {
        hint: "Export the graph (--format json, --dot, --mermaid, --drawio) and draw it your way",
      });
    if (args["drawio-args"] || args["drawio-version"])
      logger.warn(
        "--drawio-args and --drawio-version are for Containerlab's clab-io-draw container; lab draws the diagram itself without them",
      );
    const only = nodeFilter(args["node-filter"]);
    const picked = (["dot", "mermaid", "drawio"] as const).filter((f) => args[f]);
    if (args.edit && (picked.length || args.format === "json" || only || args.name || !args.topo))
      throw new LabError("usage", "--edit edits one topology file and serves its page: give -t FILE only", {
        hint: "lab graph --edit -t lab.clab.yml (the file may not exist yet)",
      });
    if (picked.length > 1)
      throw new LabError("usage", `--${picked.join(", --")} exclude each other`, { hint: "Pick one export" });
    const format: ExportFormat | undefined = picked[0] ?? (args.format === "json" ? "json" : undefined);
    const srv = format ? undefined : parseSrv(args.srv);
    const ctx = await cliContext();
    let engine = !args.offline;
    if (engine)
      engine = await ctx.docker.system.ping().then(
        () => true,
        () => false,
      );
    const topo = args.topo ?? (args.name ? await topologyOfRunning(args.name, engine) : undefined);
    // Serving (and an editor's deploy) ends on Ctrl-C; an export is over before it could matter.
    const signal = format ? new AbortController().signal : interruptSignal(() => {});
    const edit = args.edit
      ? await editHooks(topo as string, topoOptions(args, rawArgs), repeated(rawArgs, "host"), signal)
      : undefined;
    const lab = edit ? edit.session.lab : await loadTopology(topo, topoOptions(args, rawArgs));
    // Every host the lab runs on (one, usually): their containers and events make the live view.
    const hosts = engine
      ? (await cliHosts({ lab, flags: repeated(rawArgs, "host") })).hosts
      : localOnly(ctx.docker, ctx.platform);
    const deps = { hosts };
    if (format)
      return exportGraph(lab, format, {
        live: engine ? await liveInfo(deps, lab, { impairments: format !== "dot" && format !== "mermaid" }) : undefined,
        only,
        output: args.output,
        mermaidDirection: args["mermaid-direction"],
      });
    if (!engine && !args.offline) logger.warn("the Docker Engine is not reachable: drawing the topology file only");
    const bind = srv as { host: string; port: number };
    const { login, token } = pageAccess(bind.host, args.auth === false);
    await serveGraph({
      ...bind,
      token,
      lab,
      deps,
      assets: await loadAssets(),
      signal,
      live: engine,
      login,
      readOnly: args["read-only"],
      edit,
      onListening: (url) =>
        logger.success(
          `lab ${lab.name}: serving its picture${edit ? `, editing ${edit.session.file}` : ""} at ${url} (Ctrl-C stops)`,
        ),
      onError: (m) => logger.warn(m),
    });
  },
});

/** --share: the shared page is lab share's console (the same server, tunnel and login). */
async function shareConsole(args: Record<string, unknown>) {
  const share = (await import("./share/index.ts")).default;
  const pass = (flag: "topo" | "name" | "via" | "provider") => (args[flag] ? [`--${flag}`, String(args[flag])] : []);
  return runCommand(share, {
    rawArgs: [
      ...pass("topo"),
      ...pass("name"),
      ...pass("via"),
      ...pass("provider"),
      "--console",
      "--console-only",
      ...(args["read-only"] ? ["--read-only"] : []),
    ],
  });
}

/** --name without -t: the topology file the running lab's containers name. */
async function topologyOfRunning(name: string, engine: boolean): Promise<string> {
  const running = engine ? await listOnHosts((await cliHosts({ name, flags: [] })).hosts, name) : [];
  const topo = running.find((c) => c.topoFile)?.topoFile;
  if (!topo)
    throw new LabError("not-found", `lab ${name} is not deployed${engine ? "" : " (or the engine is not reachable)"}`, {
      hint: "Give its topology with -t FILE to draw it from the file",
    });
  return topo;
}

/** --dot, --mermaid, --drawio, --format json: written where Containerlab writes them, or to --output. */
async function exportGraph(
  lab: LabModel,
  format: ExportFormat,
  o: { live: Parameters<typeof buildGraph>[1]; only?: string[]; output?: string; mermaidDirection?: string },
) {
  const whole = buildGraph(lab, o.live);
  const graph = o.only ? filterGraph(whole, o.only) : whole;
  const text = await exportFormats[format].render(graph, { mermaidDirection: o.mermaidDirection });
  if (o.output === "-") return out(text);
  const file = o.output ?? exportPath(lab, format);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
  logger.success(`${format} of lab ${lab.name}: ${file}${format === "dot" ? ` (render it: dot -Tsvg ${file})` : ""}`);
  // What Containerlab's drawio run prints (its clab-io-draw tool, on stdout); scripts look for it.
  if (format === "drawio") out("Diagram created successfully.\n");
}

/**
 * Who may open the page: a login from the environment (tools gotty, a shared console; never on
 * the command line) gates every request; else, beyond loopback, a token printed with the URL
 * unless --no-auth turned it off.
 */
function pageAccess(host: string, noAuth: boolean) {
  const login = process.env.LAB_CONSOLE_PASSWORD
    ? { user: process.env.LAB_CONSOLE_USER || "lab", password: process.env.LAB_CONSOLE_PASSWORD }
    : undefined;
  const token = login || isLoopback(host) || noAuth ? undefined : newAccessToken();
  if (!isLoopback(host) && !login)
    logger.warn(
      token
        ? `serving beyond loopback (${host}): the page needs the token in the URL below`
        : `serving beyond loopback (${host}) without a token (--no-auth): anyone who reaches it sees the lab`,
    );
  return { login, token };
}
