import { type ArgDef, defineCommand } from "citty";
import { LabError } from "../../../core/errors.ts";
import { listToolContainers, removeToolContainer, type ToolType } from "../../../core/tools/tool-containers.ts";
import { cliContext } from "../../context.ts";
import { logger } from "../../logger.ts";
import { out } from "../../out.ts";
import { renderTable } from "../../render/table.ts";
import { globalArgs } from "../_shared.ts";

// Containerlab's tools sshx, gotty and api-server run helper containers (public images, some
// reaching the internet). lab lists and removes such containers as Containerlab does, and says in
// one line what it offers instead of starting them.

const formatArg = {
  format: { type: "enum", options: ["table", "json"], default: "table", alias: "f", description: "Output format" },
} as const satisfies Record<string, ArgDef>;

interface ToolSpec {
  type: ToolType;
  /** Containerlab's word for it in messages: "SSHX", "GoTTY", "API server". */
  title: string;
  /** Containerlab's default container name for a lab (sshx-<lab>), or the fixed one. */
  defaultName: (lab: string) => string;
  /** The list's columns and values, Containerlab's. */
  columns: string[];
  row: (c: Awaited<ReturnType<typeof listToolContainers>>[number]) => (string | number)[];
  json: (c: Awaited<ReturnType<typeof listToolContainers>>[number]) => Record<string, unknown>;
  /** What lab offers instead of starting one. */
  instead: string;
}

export function listCommand(spec: ToolSpec, name = "list") {
  return defineCommand({
    meta: { name, description: `List ${spec.title} containers (Containerlab's, found by their tool-type label)` },
    args: { ...formatArg, ...globalArgs },
    async run({ args }) {
      const { docker } = await cliContext();
      const found = await listToolContainers(docker, spec.type);
      if (args.format === "json") return out(`${JSON.stringify(found.map(spec.json), null, 2)}\n`);
      if (!found.length) return out(`No active ${spec.title} containers found\n`);
      out(
        `${renderTable(
          spec.columns,
          found.map(spec.row).map((r) => r.map(String)),
          { separateRows: true },
        )}\n`,
      );
    },
  });
}

export function removeCommand(spec: ToolSpec, name: string, words: string) {
  return defineCommand({
    meta: { name, description: `Remove a ${spec.title} container (${words})` },
    args: {
      lab: { type: "string", alias: "l", description: "The lab it belongs to (its name is then the default)" },
      name: { type: "string", alias: "n", description: "The container's name" },
      ...formatArg,
      ...globalArgs,
    },
    async run({ args }) {
      const target = args.name ?? (args.lab ? spec.defaultName(args.lab) : spec.defaultName(""));
      if (!target)
        throw new LabError("usage", `name the ${spec.title} container`, { hint: "Use -l LAB or --name NAME" });
      const { docker } = await cliContext();
      if (!(await removeToolContainer(docker, spec.type, target)))
        throw new LabError("not-found", `no ${spec.title} container ${target}`, {
          hint: `lab tools ${spec.type} ${spec.type === "api-server" ? "status" : "list"} shows them`,
        });
      logger.info(`${spec.title} container ${target} removed successfully`);
    },
  });
}

/** Containerlab's flags of a verb lab refuses, so a script gets the one-line reason, not "unknown flag". */
function acceptedFlags(flags: string[]): Record<string, ArgDef> {
  const BOOLEAN = new Set(["enable-readers", "expose-ssh", "tls-enable"]);
  return Object.fromEntries(
    flags.map((f) => {
      const [name, alias] = f.split("/") as [string, string | undefined];
      const type = BOOLEAN.has(name) ? "boolean" : "string";
      return [name, { type, ...(alias ? { alias } : {}), description: "Accepted for Containerlab's scripts" }];
    }),
  ) as Record<string, ArgDef>;
}

export function insteadCommand(spec: ToolSpec, name: string, flags: string[]) {
  return defineCommand({
    meta: { name, description: `Not in lab: ${spec.instead}` },
    args: { ...acceptedFlags(flags), ...globalArgs },
    run() {
      throw new LabError("unsupported", `lab does not start ${spec.title} containers: ${spec.instead}`);
    },
  });
}

export const SSHX: ToolSpec = {
  type: "sshx",
  title: "SSHX",
  defaultName: (lab) => (lab ? `clab-${lab}-sshx` : ""),
  columns: ["NAME", "NETWORK", "STATUS", "IPv4 ADDRESS", "LINK", "OWNER"],
  row: (c) => [c.name, c.network, c.state, c.ipv4, "N/A", c.owner],
  json: (c) => ({
    name: c.name,
    network: c.network,
    state: c.state,
    ipv4_address: c.ipv4,
    link: "N/A",
    owner: c.owner,
  }),
  instead:
    "sshx shares terminals through sshx.io; lab share --console shares the lab's terminals through Border0 or your own SSH host instead",
};

export const API_SERVER: ToolSpec = {
  type: "api-server",
  title: "API server",
  defaultName: () => "clab-api-server",
  columns: ["NAME", "STATUS", "HOST", "PORT", "LABS DIR", "RUNTIME", "OWNER"],
  row: (c) => [
    c.name,
    c.state,
    c.labels["clab-api-host"] ?? "localhost",
    c.labels["clab-api-port"] ?? "8090",
    c.labels["clab-api-labs-dir"] ?? "",
    c.labels["clab-api-runtime"] ?? "docker",
    c.owner,
  ],
  json: (c) => ({
    name: c.name,
    state: c.state,
    host: c.labels["clab-api-host"] ?? "localhost",
    port: Number(c.labels["clab-api-port"] ?? 8090),
    labs_dir: c.labels["clab-api-labs-dir"] ?? "",
    runtime: c.labels["clab-api-runtime"] ?? "docker",
    owner: c.owner,
  }),
  instead:
    "its REST API server runs from a public image; lab's own commands (with --format json) and lab graph's page are its interfaces",
};
