import { defineCommand } from "citty";
import { listLabContainers } from "../../core/deploy/inspect.ts";
import { LabError } from "../../core/errors.ts";
import { cliContext } from "../context.ts";
import { inspectJson, inspectTable, portsExplained } from "../render/inspect.ts";
import { printJson } from "../render/output.ts";
import { formatArgs, loadTopology, selectArgs, verboseArgs } from "./_shared.ts";

export default defineCommand({
  meta: { name: "inspect", description: "Show a lab's nodes: state, addresses, published ports" },
  args: {
    ...selectArgs,
    ports: { type: "boolean", description: "Explain each published port: host address:port → container IP:port" },
    ...formatArgs,
    ...verboseArgs,
  },
  async run({ args }) {
    const name = args.all ? undefined : (args.name ?? (await loadTopology(args.topo)).name);
    const { docker } = await cliContext();
    const containers = await listLabContainers(docker, name);
    if (args.format === "json") return printJson(inspectJson(containers));
    if (!containers.length) {
      throw new LabError("not-found", name ? `lab ${name} is not deployed` : "no labs are deployed", {
        hint: "Deploy one with lab up",
      });
    }
    process.stdout.write(`${args.ports ? portsExplained(containers) : inspectTable(containers)}\n`);
  },
});
