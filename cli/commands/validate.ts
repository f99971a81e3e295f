import { defineCommand } from "citty";
import { stringify } from "yaml";
import { planDeploy } from "../../core/deploy/plan.ts";
import { logger } from "../logger.ts";
import { out } from "../out.ts";
import { printJson } from "../render/output.ts";
import { formatArgs, globalArgs, loadTopology, renderArgs, topoArgs, topoOptions } from "./_shared.ts";

export default defineCommand({
  meta: { name: "validate", description: "Check a topology and print the deployment plan, without touching Docker" },
  args: { ...topoArgs, ...renderArgs, ...formatArgs, ...globalArgs },
  async run({ args, rawArgs }) {
    const lab = await loadTopology(args.topo, {
      ...topoOptions(args, rawArgs),
      warn: true,
      exportRendered: args["export-rendered"],
    });
    const plan = planDeploy(lab);
    if (args.format === "json") return printJson(plan);
    out(stringify(plan, { lineWidth: 0 }));
    logger.success(`${lab.file}: valid (${lab.nodes.length} nodes, ${lab.links.length} links)`);
  },
});
