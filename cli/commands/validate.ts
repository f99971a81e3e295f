import { defineCommand } from "citty";
import { stringify } from "yaml";
import { planDeploy } from "../../core/deploy/plan.ts";
import { logger } from "../logger.ts";
import { printJson } from "../render/output.ts";
import { formatArgs, loadTopology, topoArgs, verboseArgs } from "./_shared.ts";

export default defineCommand({
  meta: { name: "validate", description: "Check a topology and print the deployment plan, without touching Docker" },
  args: { ...topoArgs, ...formatArgs, ...verboseArgs },
  async run({ args }) {
    const lab = await loadTopology(args.topo, { vars: args.vars });
    const plan = planDeploy(lab);
    if (args.format === "json") return printJson(plan);
    process.stdout.write(stringify(plan, { lineWidth: 0 }));
    logger.success(`${lab.file}: valid (${lab.nodes.length} nodes, ${lab.links.length} links)`);
  },
});
