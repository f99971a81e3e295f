import { type ArgDef, defineCommand } from "citty";
import { listOnHosts } from "../../core/deploy/inspect.ts";
import { labInterfaces } from "../../core/deploy/interfaces.ts";
import { LabError } from "../../core/errors.ts";
import { alive, readState } from "../../core/share/state.ts";
import { closest } from "../../core/topology/closest.ts";
import { cliHosts } from "../context.ts";
import { logger } from "../logger.ts";
import { out } from "../out.ts";
import {
  inspectCsv,
  inspectDetails,
  inspectJson,
  inspectTable,
  interfacesTable,
  portsExplained,
} from "../render/inspect.ts";
import { printJson } from "../render/output.ts";
import { publishedTable } from "../render/published.ts";
import { globalArgs, hostArgs, loadTopology, nodesOf, repeated, selectArgs, topoOptions } from "./_shared.ts";

// `lab inspect interfaces` as Containerlab spells it (also int, intf), kept as --interfaces too.
const INTERFACES = new Set(["interfaces", "int", "intf"]);

const args = {
  ...selectArgs,
  ...hostArgs,
  ports: { type: "boolean", description: "Explain each published port: host address:port → container IP:port" },
  interfaces: {
    type: "boolean",
    description: "Each node's interfaces as seen inside it (also: lab inspect interfaces)",
  },
  node: { type: "string", alias: "n", description: "With interfaces: only these nodes (repeatable, comma-separated)" },
  details: { type: "boolean", description: "The engine's full JSON of each container, grouped by lab" },
  wide: { type: "boolean", alias: "w", description: "More columns: owner, lab, topology, status, MAC" },
  format: {
    type: "enum",
    options: ["table", "json", "csv"],
    default: "table",
    alias: "f",
    description: "Output format",
  },
  ...globalArgs,
} as const satisfies Record<string, ArgDef>;

export default defineCommand({
  meta: { name: "inspect", description: "Show a lab's nodes (state, addresses, ports) or their interfaces" },
  args,
  async run({ args, rawArgs }) {
    const [what, ...extra] = args._ as string[];
    if ((what && !INTERFACES.has(what)) || extra.length)
      throw new LabError("usage", `lab inspect has no "${what && !INTERFACES.has(what) ? what : extra[0]}"`, {
        hint: closest(what ?? "", INTERFACES)
          ? 'did you mean "lab inspect interfaces"?'
          : "Use lab inspect [interfaces] [-t FILE | --name LAB | --all]",
      });
    const interfaces = args.interfaces || !!what;
    const lab = args.all || args.name ? undefined : await loadTopology(args.topo, topoOptions(args, rawArgs));
    const name = args.all ? undefined : (args.name ?? lab?.name);
    const { hosts } = await cliHosts({ lab, name, all: args.all, flags: repeated(rawArgs, "host") });
    const containers = await listOnHosts(hosts, name);
    if (interfaces) {
      const wanted = nodesOf(rawArgs, args.node);
      const known = new Set(containers.flatMap((c) => [c.node, c.name]));
      const unknown = wanted.filter((n) => !known.has(n));
      if (unknown.length)
        throw new LabError("usage", `node ${unknown.join(", ")} is not in ${name ? `lab ${name}` : "any lab"}`, {
          hint: `nodes: ${[...new Set(containers.map((c) => c.node))].sort().join(", ") || "none"}`,
        });
      const chosen = wanted.length
        ? containers.filter((c) => wanted.includes(c.node) || wanted.includes(c.name))
        : containers;
      const nodes = await labInterfaces(chosen, hosts);
      if (args.format === "json") return printJson(nodes);
      if (!nodes.length)
        throw new LabError("not-found", name ? `lab ${name} has no running nodes` : "no labs are deployed");
      out(`${interfacesTable(nodes)}\n`);
      return;
    }
    // Nothing deployed is an answer, not an error (Containerlab's inspect: {} / the CSV header / a log line).
    const format = args.details ? "json" : args.format;
    if (!containers.length) {
      if (format === "json") return out("{}\n");
      if (format === "csv") return out(inspectCsv([], process.cwd()));
      logger.info("no containers found");
      return;
    }
    if (args.details) {
      // Containerlab's GenericContainer per node, grouped by lab.
      const inspected = new Map(
        await Promise.all(
          containers.map(async (c) => [c.id, await hosts.get(c.host).docker.containers.inspect(c.id)] as const),
        ),
      );
      const labels = new Map([...inspected].map(([id, i]) => [id, i.Config.Labels ?? {}]));
      const gateways = new Map(
        [...inspected].map(([id, i]) => {
          const net = Object.values(i.NetworkSettings.Networks ?? {})[0];
          return [id, { v4: net?.Gateway ?? "", v6: net?.IPv6Gateway ?? "" }];
        }),
      );
      return printJson(inspectDetails(containers, inspected as never, labels, gateways));
    }
    // By name, Containerlab finds the lab's topology file from its containers and says so.
    if (args.name && !args.all) {
      const file = containers.find((c) => c.topoFile)?.topoFile;
      if (file) logger.info(`lab ${args.name}: topology file ${file}`);
    }
    if (format === "json") return printJson(inspectJson(containers, process.cwd()));
    if (format === "csv") return out(inspectCsv(containers, process.cwd()));
    out(
      `${args.ports ? portsExplained(containers) : inspectTable(containers, { wide: args.wide, all: !!args.all, cwd: process.cwd() })}\n`,
    );
    // Published ports of labs that are being shared.
    for (const dir of new Set(containers.map((c) => c.labDir).filter(Boolean))) {
      const state = readState(dir);
      if (state && alive(state.pid) && !state.stoppedAt && state.sockets.length) out(publishedTable(state));
    }
  },
});
