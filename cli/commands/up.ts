import { defineCommand } from "citty";
import { stringify } from "yaml";
import { destroyLabs } from "../../core/deploy/destroy.ts";
import { deployLab } from "../../core/deploy/execute.ts";
import { filterPlan } from "../../core/deploy/filter.ts";
import { listLabContainers } from "../../core/deploy/inspect.ts";
import { planDeploy } from "../../core/deploy/plan.ts";
import { LabError } from "../../core/errors.ts";
import { endpoints, startDetached } from "../../core/share/control.ts";
import { sharePlan } from "../../core/share/plan.ts";
import { findToken } from "../../core/share/token.ts";
import type { Platform } from "../../runtime/platform/index.ts";
import { cliContext } from "../context.ts";
import { logger } from "../logger.ts";
import { inspectJson, inspectTable } from "../render/inspect.ts";
import { printJson } from "../render/output.ts";
import { terminalReporter } from "../render/progress.ts";
import {
  formatArgs,
  interruptSignal,
  loadTopology,
  maxWorkers,
  nodeFilter,
  nodeFilterArgs,
  renderArgs,
  repeated,
  topoArgs,
  verboseArgs,
  workerArgs,
} from "./_shared.ts";
import { publishedTable } from "./share/_common.ts";

async function startSharing(lab: Awaited<ReturnType<typeof loadTopology>>, platform: Platform) {
  if (lab.file === "<stdin>")
    throw new LabError("usage", "--share needs the topology in a file", { hint: "Pass -t FILE" });
  sharePlan(lab);
  const ep = endpoints(platform.env);
  // Fails before anything starts when there is no usable token.
  await findToken(platform.env, lab.dir);
  return startDetached(platform, lab.labDir, ["-t", lab.file, "--api", ep.api]);
}

export default defineCommand({
  meta: { name: "up", description: "Deploy a Containerlab topology: network, containers, links" },
  args: {
    ...topoArgs,
    ...renderArgs,
    ...formatArgs,
    ...workerArgs,
    ...nodeFilterArgs,
    "dry-run": { type: "boolean", description: "Print the plan and change nothing" },
    reconfigure: { type: "boolean", alias: "c", description: "Remove the running lab and its lab dir, then deploy" },
    share: { type: "boolean", description: "Start lab share --detach right after the deploy" },
    ...verboseArgs,
  },
  async run({ args, rawArgs }) {
    const lab = await loadTopology(args.topo, {
      vars: repeated(rawArgs, "vars"),
      warn: true,
      exportRendered: args["export-rendered"],
    });
    const only = nodeFilter(args["node-filter"]);
    let plan = planDeploy(lab);
    if (args["dry-run"]) {
      // Without the engine nothing counts as running: links to other nodes are shown as left out.
      if (only) plan = filterPlan(plan, only, new Set());
      if (args.format === "json") return printJson(plan);
      process.stdout.write(stringify(plan, { lineWidth: 0 }));
      return;
    }
    const { platform, docker } = await cliContext();
    const reporter = terminalReporter();
    const workers = maxWorkers(args["max-workers"]);
    if (args.reconfigure) {
      await destroyLabs({ name: lab.name, labDir: lab.labDir, nodes: only }, docker, reporter, {
        platform,
        cleanup: !only,
        maxWorkers: workers,
      });
    }
    if (only) plan = filterPlan(plan, only, new Set((await listLabContainers(docker, lab.name)).map((c) => c.node)));
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
    const took = `${((performance.now() - started) / 1000).toFixed(1)}s`;
    logger.success(
      only
        ? `lab ${lab.name}: ${plan.containers.length} of its nodes deployed, ${plan.links.length} links, in ${took}`
        : `lab ${lab.name} is up: ${result.containers.length} containers, ${lab.links.length} links in ${took}`,
    );
    const shared = args.share ? await startSharing(lab, platform) : undefined;
    if (args.format === "json")
      return printJson(
        shared ? { ...inspectJson(result.containers), published: shared.sockets } : inspectJson(result.containers),
      );
    process.stdout.write(`${inspectTable(result.containers)}\n`);
    if (shared) process.stdout.write(publishedTable(shared));
  },
});
