import { issueCertificates, tlsDir } from "../cert/issue.ts";
import { LabError } from "../errors.ts";
import { LOCAL } from "../hosts/definitions.ts";
import type { HostSet } from "../hosts/hosts.ts";
import { userPublicKeys } from "../ssh/pubkeys.ts";
import type { LabModel } from "../topology/index.ts";
import { createContainer } from "./create-container.ts";
import { runExec } from "./exec-step.ts";
import { checkHostNeeds } from "./host-needs.ts";
import { hostNetwork, rollback } from "./host-network.ts";
import { ensureImages } from "./images.ts";
import { listOnHosts } from "./inspect.ts";
import { vxlanRoutes } from "./link-run.ts";
import { afterLinks, createLinks, forwardLldpOnBridges, stagedLinks } from "./link-step.ts";
import type { StagedLinks } from "./links-staged.ts";
import { prepareLabDir } from "./node-files.ts";
import type { ContainerStep, DeployPlan } from "./plan.ts";
import { runWithDependencies } from "./pool.ts";
import { runPostDeploy } from "./post-deploy.ts";
import { preflight } from "./preflight.ts";
import { recordState, writeArtifacts } from "./record.ts";
import type { Reporter } from "./reporter.ts";
import {
  type DeployOptions,
  type DeployResult,
  type HostRun,
  hostOfNode,
  hostRuns,
  type RunContext,
} from "./run-context.ts";
import { runStageHooks } from "./stage-hooks.ts";

// A deploy, as Containerlab's clab.Deploy reads: check the hosts, images, lab dir, certificates;
// then (undone on any failure) the management network, the containers, the links; then the kinds'
// post-deploy, the nodes' exec, and the files a lab leaves behind. Each step is a function here or
// in the file named for it.

export type { DeployOptions, DeployResult, ExecOutcome, HostShare } from "./run-context.ts";
export { hostOfNode, hostShares } from "./run-context.ts";

/**
 * Deploys a planned lab. A lab over several hosts does each step on every host (containers in one
 * dependency order across them). Any failure or an abort removes what this run created, on every host.
 */
export async function deployLab(
  lab: LabModel,
  plan: DeployPlan,
  deps: { hosts: HostSet; reporter: Reporter },
  options: DeployOptions,
): Promise<DeployResult> {
  const { hosts, reporter } = deps;
  const runs = hostRuns(lab, plan, hosts);
  await checkHosts(lab, plan, runs, options, reporter);
  await Promise.all(
    runs.map((r) => ensureImages(r.images, r.host.docker, hosts.local.platform, reporter, options.signal, r.host.name)),
  );
  await prepareLabDir(lab, plan, hosts.local.platform);
  for (const note of plan.notes) reporter.info(note);
  for (const w of plan.warnings ?? []) reporter.warn(w);
  const ctx = await runContext(lab, plan, deps, options);
  try {
    if (plan.network.usesMgmt) await Promise.all(runs.map((r) => hostNetwork(r, lab, plan, reporter)));
    const staged = await stagedLinks(lab, runs, options.maxWorkers);
    await createContainers(lab, plan, runs, ctx, options, staged);
    await forwardLldpOnBridges(runs);
    await createLinks(lab, plan, runs, ctx, options.maxWorkers, staged);
    await afterLinks(lab, runs, ctx);
    if (options.signal.aborted) throw new LabError("interrupted", "interrupted");
  } catch (error) {
    reporter.warn(`rolling back: removing what this run created${runs.length > 1 ? " on every host" : ""}`);
    await Promise.all(runs.map((r) => rollback(r, plan)));
    throw error;
  }
  const postDeploy = options.skipPostDeploy ? [] : await postDeployStep(lab, plan, ctx, options);
  const exec = await runExec(lab, plan, ctx, options.maxWorkers, options.signal);
  const containers = await listOnHosts(hosts, lab.name);
  await writeArtifacts(lab, containers, reporter, hosts);
  await recordState(lab, plan);
  return { containers, exec, postDeploy };
}

/** Every host can run its share: preflight, what the kinds need of the host, the tunnels' routes. */
async function checkHosts(
  lab: LabModel,
  plan: DeployPlan,
  runs: HostRun[],
  options: DeployOptions,
  reporter: Reporter,
) {
  await Promise.all(
    runs.map((r) =>
      preflight(lab, plan, r.host.docker, r.host.platform, options.kvmDevice, {
        only: { containers: r.containers, links: r.links, images: r.images, host: r.host.name },
      }),
    ),
  );
  const kindOf = (node: string) => lab.nodes.find((n) => n.name === node)?.kind;
  await Promise.all(
    runs.map((r) =>
      checkHostNeeds(
        r.containers.flatMap((c) => {
          const kind = kindOf(c.node);
          return kind ? [{ node: c.node, kind }] : [];
        }),
        r.host.platform,
        reporter,
      ),
    ),
  );
  for (const r of runs) r.routes = await vxlanRoutes(r.links, r.host.platform);
}

/** The certificates the planned nodes need, and what every per-node step reads. */
async function runContext(
  lab: LabModel,
  plan: DeployPlan,
  deps: { hosts: HostSet; reporter: Reporter },
  options: DeployOptions,
): Promise<RunContext> {
  const { hosts, reporter } = deps;
  const planned = new Set(plan.containers.map((c) => c.node));
  const certs = await issueCertificates(
    lab,
    lab.nodes.filter((n) => planned.has(n.name)),
    {
      CLAB_CA_CERT_FILE: hosts.local.platform.env("CLAB_CA_CERT_FILE"),
      CLAB_CA_KEY_FILE: hosts.local.platform.env("CLAB_CA_KEY_FILE"),
    },
  );
  if (certs.tls.size) reporter.info(`issued certificates for ${[...certs.tls.keys()].join(", ")} (${tlsDir(lab)})`);
  return {
    hosts,
    reporter,
    certs,
    afterStart: options.afterStart,
    hooksOf: (node) => {
      const h = hostOfNode(lab, hosts, node);
      return { docker: h.docker, platform: h.platform, reporter };
    },
  };
}

/**
 * The containers in dependency order on bounded workers, each host with its own (hosts do not
 * wait for each other); with staged links, a node's links as soon as it starts.
 */
async function createContainers(
  lab: LabModel,
  plan: DeployPlan,
  runs: HostRun[],
  ctx: RunContext,
  options: DeployOptions,
  staged: Map<string, StagedLinks> | undefined,
): Promise<void> {
  if (plan.containers.length)
    ctx.reporter.info(
      `creating ${plan.containers.length} container${plan.containers.length === 1 ? "" : "s"} with ${options.maxWorkers} workers${
        runs.length > 1 ? ` on ${runs.length} hosts` : ""
      }`,
    );
  const byHost = new Map(runs.map((r) => [r.host.name, r]));
  const runOf = (step: ContainerStep) => byHost.get(step.host ?? LOCAL) as HostRun;
  const containerHost = new Map(plan.containers.map((c) => [c.node, c.host ?? LOCAL]));
  await runWithDependencies(
    plan.containers.map((c) => ({ id: c.node, deps: c.dependsOn, value: c })),
    async (step, signal) => {
      const run = runOf(step);
      await createContainer(step, lab, run, ctx, signal);
      const links = staged?.get(run.host.name);
      if (!links) return;
      const node = lab.nodes.find((n) => n.name === step.node);
      if (!node) return;
      const hooks = ctx.hooksOf(step.node);
      await runStageHooks(node, "create-links", "on-enter", hooks);
      await links.ready(step.name);
      await runStageHooks(node, "create-links", "on-exit", hooks);
    },
    { maxWorkers: options.maxWorkers, signal: options.signal, lane: (node) => containerHost.get(node) ?? LOCAL },
  );
}

/** The kinds' post-deploy configuration (a NOS answering on its management address), on each node's host. */
function postDeployStep(lab: LabModel, plan: DeployPlan, ctx: RunContext, options: DeployOptions) {
  const local = ctx.hosts.local.platform;
  return runPostDeploy(
    lab,
    plan,
    {
      dockerOf: (node) => ctx.hooksOf(node).docker,
      platformOf: (node) => ctx.hooksOf(node).platform,
      reporter: ctx.reporter,
      sshKeys: userPublicKeys(local.env("HOME")),
      tlsOf: (node) => ctx.certs.tls.get(node),
      hostEnv: (name) => local.env(name),
    },
    { workers: options.maxWorkers, signal: options.signal, timeoutMs: options.postDeployTimeoutMs ?? 300_000 },
  );
}
