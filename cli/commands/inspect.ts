import { existsSync } from "node:fs";
import { defineCommand } from "citty";
import { listLabContainers } from "../../core/deploy/inspect.ts";
import { labInterfaces } from "../../core/deploy/interfaces.ts";
import { LabError } from "../../core/errors.ts";
import { alive, readState } from "../../core/share/state.ts";
import { cliContext } from "../context.ts";
import { inspectJson, inspectTable, interfacesTable, portsExplained } from "../render/inspect.ts";
import { printJson } from "../render/output.ts";
import { formatArgs, loadTopology, repeated, selectArgs, verboseArgs } from "./_shared.ts";
import { publishedTable } from "./share/_common.ts";

export default defineCommand({
  meta: { name: "inspect", description: "Show a lab's nodes: state, addresses, published ports" },
  args: {
    ...selectArgs,
    ports: { type: "boolean", description: "Explain each published port: host address:port → container IP:port" },
    interfaces: { type: "boolean", description: "Each node's interfaces as seen inside it: type, state, MTU, MAC" },
    ...formatArgs,
    ...verboseArgs,
  },
  async run({ args, rawArgs }) {
    const name = args.all
      ? undefined
      : (args.name ?? (await loadTopology(args.topo, { vars: repeated(rawArgs, "vars") })).name);
    const { docker, platform } = await cliContext();
    const containers = await listLabContainers(docker, name);
    if (args.interfaces) {
      const nodes = await labInterfaces(containers, docker, platform, existsSync);
      if (args.format === "json") return printJson(nodes);
      if (!nodes.length)
        throw new LabError("not-found", name ? `lab ${name} has no running nodes` : "no labs are deployed");
      process.stdout.write(`${interfacesTable(nodes)}\n`);
      return;
    }
    if (args.format === "json") return printJson(inspectJson(containers));
    if (!containers.length) {
      throw new LabError("not-found", name ? `lab ${name} is not deployed` : "no labs are deployed", {
        hint: "Deploy one with lab up",
      });
    }
    process.stdout.write(`${args.ports ? portsExplained(containers) : inspectTable(containers)}\n`);
    // Published ports of labs that are being shared.
    for (const dir of new Set(containers.map((c) => c.labDir).filter(Boolean))) {
      const state = readState(dir);
      if (state && alive(state.pid) && !state.stoppedAt && state.sockets.length)
        process.stdout.write(publishedTable(state));
    }
  },
});
