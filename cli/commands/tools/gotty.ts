import { randomBytes } from "node:crypto";
import { type ArgDef, defineCommand } from "citty";
import { startConsole } from "../../../core/console/background.ts";
import { consoleName, listConsoles, stopConsole } from "../../../core/console/registry.ts";
import { LabError } from "../../../core/errors.ts";
import { isLoopback } from "../../../core/graph/access.ts";
import { listToolContainers, removeToolContainer } from "../../../core/tools/tool-containers.ts";
import { getPlatform } from "../../../runtime/platform/index.ts";
import { cliContext } from "../../context.ts";
import { logger } from "../../logger.ts";
import { out } from "../../out.ts";
import { renderTable } from "../../render/table.ts";
import { globalArgs, labOf, readStdinText, topoArgs } from "../_shared.ts";

// Containerlab's tools gotty (cmd/tools_gotty.go) with its flags and words, served by lab itself:
// no GoTTY container, lab's console server (the graph page with a terminal per node) in the
// background for the lab, listed as clab-<lab>-gotty. list also shows GoTTY containers Containerlab
// started (their tool-type label), and detach removes either.

const formatArg = {
  format: { type: "enum", options: ["table", "json"], default: "table", alias: "f", description: "Output format" },
} as const satisfies Record<string, ArgDef>;

const attachArgs = {
  lab: { type: "string", alias: "l", description: "Lab name (or -t FILE)" },
  ...topoArgs,
  name: { type: "string", description: "Accepted for Containerlab's scripts: the name is clab-<lab>-gotty" },
  port: { type: "string", alias: "p", default: "8080", description: "Port the console server listens on" },
  address: {
    type: "string",
    default: "127.0.0.1",
    description: "Address it listens on; beyond loopback a login is required (one is made when none is given)",
  },
  username: { type: "string", alias: "u", default: "admin", description: "The page's login name (with a password)" },
  password: {
    type: "string",
    alias: "P",
    description: "The page's password (visible to other users in argv: prefer --password-stdin or LAB_GOTTY_PASSWORD)",
  },
  "password-stdin": { type: "boolean", description: "Read the page's password from stdin" },
  shell: {
    type: "string",
    alias: "s",
    description: "Accepted for Containerlab's scripts: each node's CLI is its kind's",
  },
  image: { type: "string", alias: "i", description: "Accepted for Containerlab's scripts: no image is run" },
  owner: { type: "string", alias: "o", description: "Owner shown by list" },
  ...formatArg,
  ...globalArgs,
} as const satisfies Record<string, ArgDef>;

async function labName(args: { lab?: string; topo?: string }, rawArgs: string[]) {
  if (args.lab) return args.lab;
  return (await labOf({ topo: args.topo }, rawArgs, "lab tools gotty")).name;
}

async function attach(args: Record<string, unknown>, rawArgs: string[], lab: string) {
  if (typeof args.password === "string")
    logger.warn(
      "WARNING! A password in --password is visible to other users of this host. Use --password-stdin or LAB_GOTTY_PASSWORD.",
    );
  let password =
    (args["password-stdin"] ? (await readStdinText()).split(/\r?\n/)[0] : undefined) ??
    (args.password as string | undefined) ??
    process.env.LAB_GOTTY_PASSWORD;
  const host = String(args.address);
  let made = false;
  if (!password && !isLoopback(host)) {
    password = randomBytes(12).toString("base64url");
    made = true;
  }
  const port = Number(args.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new LabError("usage", `--port ${args.port} is not a port`, { hint: "e.g. --port 8080" });
  const server = await startConsole(await getPlatform(), {
    lab,
    host,
    port,
    owner: String(args.owner ?? process.env.SUDO_USER ?? process.env.USER ?? ""),
    login: password ? { user: String(args.username), password } : undefined,
  });
  // Containerlab's lines (its tests and users' scripts look for them), then where to go.
  logger.info(`GoTTY container ${server.name} started`);
  logger.info(`web terminals: ${server.url} (one per node at ${server.url}terminal/<node>)`);
  if (made) logger.info(`login: ${args.username} / ${password} (shown once)`);
  return server;
}

const attachCommand = defineCommand({
  meta: { name: "attach", description: "Web terminals for a lab's nodes: lab's console server in the background" },
  args: attachArgs,
  async run({ args, rawArgs }) {
    await attach(args, rawArgs, await labName(args, rawArgs));
    logger.success("GoTTY web terminal successfully started");
  },
});

const reattachCommand = defineCommand({
  meta: { name: "reattach", description: "Restart a lab's console server (detach, then attach)" },
  args: attachArgs,
  async run({ args, rawArgs }) {
    const lab = await labName(args, rawArgs);
    await stopConsole(lab);
    await attach(args, rawArgs, lab);
    logger.success("GoTTY web terminal successfully reattached");
  },
});

const detachCommand = defineCommand({
  meta: { name: "detach", description: "Stop a lab's console server (or remove Containerlab's GoTTY container)" },
  args: {
    lab: { type: "string", alias: "l", description: "Lab name (or -t FILE)" },
    ...topoArgs,
    name: { type: "string", description: "The container's name (default clab-<lab>-gotty)" },
    ...formatArg,
    ...globalArgs,
  },
  async run({ args, rawArgs }) {
    const lab = await labName(args, rawArgs);
    const name = args.name ?? consoleName(lab);
    const stopped = name === consoleName(lab) && (await stopConsole(lab));
    const removed = !stopped && (await removeToolContainer((await cliContext()).docker, "gotty", name));
    if (!stopped && !removed)
      throw new LabError("not-found", `no GoTTY web terminal ${name} runs`, {
        hint: "lab tools gotty list shows them",
      });
    logger.info(`GoTTY container ${name} removed successfully`);
  },
});

const listCommand = defineCommand({
  meta: { name: "list", description: "lab's console servers and Containerlab's GoTTY containers" },
  args: { ...formatArg, ...globalArgs },
  async run({ args }) {
    const ours = (await listConsoles()).map((c) => ({
      name: c.name,
      network: "host",
      state: "running",
      ipv4_address: c.host,
      port: c.port,
      web_url: c.url,
      owner: c.owner || "N/A",
    }));
    const theirs = (await listToolContainers((await cliContext()).docker, "gotty")).map((c) => ({
      name: c.name,
      network: c.network,
      state: c.state,
      ipv4_address: c.ipv4,
      port: 8080,
      web_url: c.ipv4 ? `http://${c.ipv4}:8080` : "N/A",
      owner: c.owner,
    }));
    const all = [...ours, ...theirs];
    if (args.format === "json") return out(`${JSON.stringify(all, null, 2)}\n`);
    if (!all.length) return out("No active GoTTY containers found\n");
    const columns = ["NAME", "NETWORK", "STATUS", "IPv4 ADDRESS", "PORT", "WEB URL", "OWNER"];
    out(
      `${renderTable(
        columns,
        all.map((r) => Object.values(r).map(String)),
        { separateRows: true },
      )}\n`,
    );
  },
});

export default defineCommand({
  meta: { name: "gotty", description: "Web terminals for a lab's nodes (Containerlab's tools gotty, served by lab)" },
  subCommands: { attach: attachCommand, detach: detachCommand, reattach: reattachCommand, list: listCommand },
});
