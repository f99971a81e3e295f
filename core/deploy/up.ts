import type { DockerClient } from "../../runtime/docker/index.ts";
import type { Platform } from "../../runtime/platform/index.ts";
import { LabError } from "../errors.ts";
import { requireRoot } from "../root.ts";
import type { LabModel } from "../topology/index.ts";
import { applyLab, planApply } from "./apply.ts";
import type { ApplyDiff } from "./apply-plan.ts";
import { destroyLabs } from "./destroy.ts";
import { type DeployResult, deployLab } from "./execute.ts";
import { filterPlan } from "./filter.ts";
import { listLabContainers } from "./inspect.ts";
import type { DeployPlan } from "./plan.ts";
import type { Reporter } from "./reporter.ts";

// `lab up`: deploy a lab that is not there, reconcile one that is (Containerlab's deploy, which
// applies the topology to a running lab), or, asked to, destroy and deploy again.

export interface UpDeps {
  docker: DockerClient;
  platform: Platform;
  reporter: Reporter;
}

export interface UpOptions {
  /** Destroy the lab (or the filtered nodes) first, then deploy. */
  reconfigure?: boolean;
  /** --node-filter: deploy these nodes only. */
  only?: string[];
  maxWorkers: number;
  signal: AbortSignal;
  kvmDevice?: string;
}

export type UpOutcome =
  | { mode: "deployed" | "partial"; plan: DeployPlan; result: DeployResult }
  | { mode: "applied" | "unchanged"; plan: DeployPlan; diff: ApplyDiff; result: DeployResult };

/**
 * A lab deployed from the same topology file under another name is this lab renamed: applying
 * that would leave the old one running beside a second copy.
 */
export async function refuseRename(lab: LabModel, docker: DockerClient): Promise<void> {
  if (lab.file === "<stdin>" || /^[a-z]+:\/\//.test(lab.file)) return;
  const other = (await listLabContainers(docker)).find((c) => c.topoFile === lab.file && c.lab !== lab.name);
  if (other)
    throw new LabError(
      "conflict",
      `${lab.file} now names its lab ${lab.name}, but it runs as lab ${other.lab}: a running lab cannot be renamed`,
      { hint: `Remove it first (lab down --name ${other.lab}), or put the old name back` },
    );
}

/** What `lab up --dry-run` shows: the diff when the lab runs, else nothing (the plan is shown). */
export async function dryRunUp(
  lab: LabModel,
  plan: DeployPlan,
  docker: DockerClient,
  platform: Platform,
): Promise<ApplyDiff | undefined> {
  if (!(await listLabContainers(docker, lab.name)).length) {
    await refuseRename(lab, docker);
    return undefined;
  }
  return (await planApply(lab, plan, docker, platform)).diff;
}

export async function upLab(lab: LabModel, plan: DeployPlan, deps: UpDeps, options: UpOptions): Promise<UpOutcome> {
  const { docker, platform, reporter } = deps;
  requireRoot(platform, "up", "up");
  const run = { maxWorkers: options.maxWorkers, signal: options.signal, kvmDevice: options.kvmDevice };
  if (options.reconfigure)
    await destroyLabs({ name: lab.name, labDir: lab.labDir, nodes: options.only }, docker, reporter, {
      platform,
      cleanup: !options.only,
      maxWorkers: options.maxWorkers,
    });
  const running = await listLabContainers(docker, lab.name);
  if (options.only) {
    const partial = filterPlan(plan, options.only, new Set(running.map((c) => c.node)));
    return { mode: "partial", plan: partial, result: await deployLab(lab, partial, deps, run) };
  }
  if (!running.length) {
    await refuseRename(lab, docker);
    return { mode: "deployed", plan, result: await deployLab(lab, plan, deps, run) };
  }
  const { diff } = await planApply(lab, plan, docker, platform);
  if (!diff.changes.length) {
    for (const note of diff.notes) reporter.info(note);
    return { mode: "unchanged", plan, diff, result: { containers: running, exec: [] } };
  }
  return { mode: "applied", plan, diff, result: await applyLab(lab, plan, diff, deps, run) };
}
