import { defineCommand } from "citty";
import { stringify } from "yaml";
import { destroyLabs } from "../../core/deploy/destroy.ts";
import { deployLab } from "../../core/deploy/execute.ts";
import { planDeploy } from "../../core/deploy/plan.ts";
import { cliContext } from "../context.ts";
import { logger } from "../logger.ts";
import { inspectJson, inspectTable } from "../render/inspect.ts";
import { printJson } from "../render/output.ts";
import { terminalReporter } from "../render/progress.ts";
import { formatArgs, interruptSignal, loadTopology, maxWorkers, topoArgs, verboseArgs, workerArgs } from "./_shared.ts";

export default defineCommand({
  meta: { name: "up", description: "Deploy a Containerlab topology: network, containers, links" },
  args: {
    ...topoArgs,
    ...formatArgs,
    ...workerArgs,
    "dry-run": { type: "boolean", description: "Print the plan and change nothing" },
    reconfigure: { type: "boolean", alias: "c", description: "Remove the running lab and its lab dir, then deploy" },
    ...verboseArgs,
  },
  async run({ args }) {
    const lab = await loadTopology(args.topo);
    const plan = planDeploy(lab);
    if (args["dry-run"]) {
      if (args.format === "json") return printJson(plan);
      process.stdout.write(stringify(plan, { lineWidth: 0 }));
      return;
    }
    const { platform, docker } = await cliContext();
    const reporter = terminalReporter();
    const workers = maxWorkers(args["max-workers"]);
    if (args.reconfigure) {
      await destroyLabs({ name: lab.name, labDir: lab.labDir }, docker, reporter, {
        cleanup: true,
        maxWorkers: workers,
      });
    }
    const signal = interruptSignal(() =>
      logger.warn("interrupted: stopping and removing what was created (Ctrl-C again to quit now)"),
    );
    const started = performance.now();
    const result = await deployLab(
      lab,
      plan,
      { docker, platform, reporter },
      { maxWorkers: workers, signal, kvmDevice: process.env.LAB_KVM_DEVICE },
    );
    logger.success(
      `lab ${lab.name} is up: ${result.containers.length} containers, ${lab.links.length} links in ${((performance.now() - started) / 1000).toFixed(1)}s`,
    );
    if (args.format === "json") return printJson(inspectJson(result.containers));
    process.stdout.write(`${inspectTable(result.containers)}\n`);
  },
});
