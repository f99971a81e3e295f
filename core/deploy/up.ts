import { LabError } from "../errors.ts";
import type { HostSet } from "../hosts/hosts.ts";
import { placementFor } from "../hosts/prepare.ts";
import { rememberHosts } from "../hosts/registry.ts";
import { requireRoot } from "../root.ts";
import type { LabModel } from "../topology/index.ts";
import { applyLab, planApply } from "./apply.ts";
import type { ApplyDiff } from "./apply-plan.ts";
import { backupTopology } from "./backup.ts";
import { destroyLabs } from "./destroy.ts";
import { type DeployResult, deployLab } from "./execute.ts";
import { filterPlan } from "./filter.ts";
import { listLabContainers, listOnHosts } from "./inspect.ts";
import { type DeployPlan, planDeploy } from "./plan.ts";
import type { Reporter } from "./reporter.ts";
import { readState } from "./state.ts";

// `lab up`: deploy a lab that is not there, reconcile one that is (Containerlab's deploy, which
// applies the topology to a running lab), or, asked to, destroy and deploy again.

export interface UpDeps {
  hosts: HostSet;
  reporter: Reporter;
}

/** What goes before a deploy that starts over: lab up --reconfigure, lab redeploy (its destroy flags). */
export interface DestroyFirst {
  /** Remove the lab dir too (up --reconfigure always; redeploy with -c). */
  cleanup: boolean;
  gracefulSeconds?: number;
  keepMgmtNet?: boolean;
  /** redeploy --all: every lab goes first, as Containerlab's destroy --all. */
  all?: boolean;
}

export interface UpOptions {
  /** Destroy the lab (or the filtered nodes) first, then deploy. */
  reconfigure?: boolean | DestroyFirst;
  /** --skip-post-deploy. */
  skipPostDeploy?: boolean;
  /** --node-filter: deploy these nodes only. */
  only?: string[];
  maxWorkers: number;
  signal: AbortSignal;
  kvmDevice?: string;
  /** How long a kind's post-deploy step waits for the NOS to answer. */
  postDeployTimeoutMs?: number;
}

export type UpOutcome =
  | { mode: "deployed" | "partial"; plan: DeployPlan; result: DeployResult }
  | { mode: "applied" | "unchanged"; plan: DeployPlan; diff: ApplyDiff; result: DeployResult };

/**
 * A lab deployed from the same topology file under another name is this lab renamed: applying
 * that would leave the old one running beside a second copy.
 */
export async function refuseRename(lab: LabModel, hosts: HostSet): Promise<void> {
  if (lab.file === "<stdin>" || /^[a-z]+:\/\//.test(lab.file)) return;
  const other = (await listLabContainers(hosts.local.docker)).find(
    (c) => c.topoFile === lab.file && c.lab !== lab.name,
  );
  if (other)
    throw new LabError(
      "conflict",
      `${lab.file} now names its lab ${lab.name}, but it runs as lab ${other.lab}: a running lab cannot be renamed`,
      { hint: `Remove it first (lab down --name ${other.lab}), or put the old name back` },
    );
}

/**
 * The plan of a lab over the hosts it names (one-host when every node is here): its placement, with
 * the tunnels' port the running lab already uses.
 */
export async function planOnHosts(lab: LabModel, hosts: HostSet, nodeHost: Map<string, string>): Promise<DeployPlan> {
  if (!nodeHost.size) return planDeploy(lab);
  const state = await readState(lab.labDir);
  return planDeploy(lab, await placementFor(lab, hosts, nodeHost, state?.hosts?.vxlanPort));
}

/** What `lab up --dry-run` shows: the diff when the lab runs, else nothing (the plan is shown). */
export async function dryRunUp(lab: LabModel, plan: DeployPlan, hosts: HostSet): Promise<ApplyDiff | undefined> {
  if (!(await listOnHosts(hosts, lab.name)).length) {
    await refuseRename(lab, hosts);
    return undefined;
  }
  return (await planApply(lab, plan, hosts)).diff;
}

export async function upLab(lab: LabModel, plan: DeployPlan, deps: UpDeps, options: UpOptions): Promise<UpOutcome> {
  const { hosts, reporter } = deps;
  requireRoot(hosts.local.platform, "up", "up");
  await backupTopology(lab, reporter);
  const run = {
    maxWorkers: options.maxWorkers,
    signal: options.signal,
    kvmDevice: options.kvmDevice,
    postDeployTimeoutMs: options.postDeployTimeoutMs,
    skipPostDeploy: options.skipPostDeploy,
  };
  if (options.reconfigure) {
    const first: DestroyFirst =
      options.reconfigure === true
        ? { cleanup: !options.only }
        : { ...options.reconfigure, cleanup: options.reconfigure.cleanup && !options.only };
    await destroyLabs({ name: lab.name, labDir: lab.labDir, nodes: options.only, all: first.all }, hosts, reporter, {
      cleanup: first.cleanup,
      gracefulSeconds: first.gracefulSeconds,
      keepMgmtNet: first.keepMgmtNet,
      maxWorkers: options.maxWorkers,
    });
  }
  const running = await listOnHosts(hosts, lab.name);
  if (options.only) {
    const partial = filterPlan(plan, options.only, new Set(running.map((c) => c.node)));
    return { mode: "partial", plan: partial, result: await deployLab(lab, partial, deps, run) };
  }
  if (!running.length) {
    await refuseRename(lab, hosts);
    const result = await deployLab(lab, plan, deps, run);
    await remember(lab, plan, hosts);
    return { mode: "deployed", plan, result };
  }
  const { diff } = await planApply(lab, plan, hosts);
  if (!diff.changes.length) {
    for (const note of diff.notes) reporter.info(note);
    return { mode: "unchanged", plan, diff, result: { containers: running, exec: [], postDeploy: [] } };
  }
  const result = await applyLab(lab, plan, diff, deps, run);
  await remember(lab, plan, hosts);
  return { mode: "applied", plan, diff, result };
}

/** The hosts the lab now runs on, for lab down --name / inspect --all without the file. */
async function remember(lab: LabModel, plan: DeployPlan, hosts: HostSet): Promise<void> {
  const used = new Set(plan.hosts?.names ?? []);
  await rememberHosts(
    hosts.local.platform.env,
    lab.name,
    hosts.defs.filter((d) => used.has(d.name)),
  );
}
