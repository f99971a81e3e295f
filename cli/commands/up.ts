import { type ArgDef, defineCommand } from "citty";
import { stringify } from "yaml";
import { filterPlan } from "../../core/deploy/filter.ts";
import { planDeploy } from "../../core/deploy/plan.ts";
import { type DestroyFirst, dryRunUp, planOnHosts, type UpOutcome, upLab } from "../../core/deploy/up.ts";
import { LabError } from "../../core/errors.ts";
import { writeDeployGraph } from "../../core/graph/exports.ts";
import { localOnly } from "../../core/hosts/hosts.ts";
import { startDetached } from "../../core/share/control.ts";
import { sharePlan } from "../../core/share/plan.ts";
import type { Platform } from "../../runtime/platform/index.ts";
import { cliContext, cliHosts } from "../context.ts";
import { logger } from "../logger.ts";
import { out } from "../out.ts";
import { applyJson, applyTable } from "../render/apply.ts";
import { inspectJson, inspectTable } from "../render/inspect.ts";
import { printJson } from "../render/output.ts";
import { terminalReporter } from "../render/progress.ts";
import { publishedTable } from "../render/published.ts";
import {
  formatArgs,
  globalArgs,
  hostArgs,
  interruptSignal,
  loadTopology,
  maxWorkers,
  nodeFilter,
  nodeFilterArgs,
  renderArgs,
  repeated,
  seconds,
  topoArgs,
  topoOptions,
  workerArgs,
} from "./_shared.ts";
import { detachedArgs, shareProvider } from "./share/_common.ts";

async function startSharing(lab: Awaited<ReturnType<typeof loadTopology>>, platform: Platform) {
  if (lab.file === "<stdin>")
    throw new LabError("usage", "--share needs the topology in a file", { hint: "Pass -t FILE" });
  const limits = { tcp: 5, http: 10 };
  const entries = sharePlan(lab, limits);
  // The provider is picked as lab share picks it; a missing token fails before anything starts.
  const provider = await shareProvider({}, platform, { dir: lab.dir, remote: !!lab.remote });
  provider.checkEntries?.(entries);
  const state = await startDetached(platform, lab.labDir, detachedArgs(lab.file, provider, limits));
  for (const note of state.notes ?? []) logger.warn(note);
  return state;
}

/** The engine, when it answers: a dry run without one still shows the plan. */
async function engineIfAny() {
  try {
    const ctx = await cliContext();
    await ctx.docker.system.ping();
    return localOnly(ctx.docker, ctx.platform);
  } catch {
    return undefined;
  }
}

// Containerlab's deploy flags (cmd/deploy.go) that lab takes as they are.
const deployArgs = {
  graph: {
    type: "boolean",
    alias: "g",
    description: "Also draw the lab: clab-<lab>/graph/<topology>.dot (and .png when Graphviz's dot is installed)",
  },
  network: { type: "string", description: "Management network name, over the topology's mgmt.network" },
  "ipv4-subnet": { type: "string", alias: "4", description: "Management IPv4 subnet, over the topology's" },
  "ipv6-subnet": { type: "string", alias: "6", description: "Management IPv6 subnet, over the topology's" },
  "skip-post-deploy": { type: "boolean", description: "Leave out the kinds' post-deploy configuration" },
  "skip-labdir-acl": {
    type: "boolean",
    description: "Accepted for Containerlab's scripts: lab sets no extended ACLs on the lab dir",
  },
  owner: { type: "string", description: "Owner recorded on the lab's nodes (clab-owner) instead of you" },
  "export-template": {
    type: "string",
    description: "Not in lab: topology-data.json is written in the shape of Containerlab's default template",
  },
  "restore-all": { type: "string", description: "Not in lab: node snapshots are not implemented" },
  restore: { type: "string", description: "Not in lab: node snapshots are not implemented" },
} as const satisfies Record<string, ArgDef>;

// redeploy is Containerlab's destroy then deploy: destroy's flags too (cmd/redeploy.go).
const redeployArgs = {
  cleanup: { type: "boolean", alias: "c", description: "Also remove the lab dir before deploying again" },
  graceful: { type: "boolean", description: "Stop each node (up to --timeout) before removing it" },
  timeout: { type: "string", default: "120", description: "Seconds a node gets to stop with --graceful" },
  all: { type: "boolean", alias: "a", description: "Remove every lab first, as destroy --all" },
  "keep-mgmt-net": { type: "boolean", description: "Leave the management network in place" },
} as const satisfies Record<string, ArgDef>;

/** Flags lab accepts for Containerlab's scripts and refuses to act on, in one line each. */
function refuseUnsupported(args: Record<string, unknown>, rawArgs: string[]): void {
  if (args.restore !== undefined || args["restore-all"] !== undefined || rawArgs.includes("--restore-all"))
    throw new LabError("usage", "--restore and --restore-all are not in lab: it has no node snapshots", {
      hint: "Deploy without them (startup-config and lab save keep a node's configuration)",
    });
  if (args["export-template"])
    throw new LabError(
      "usage",
      "--export-template is not in lab: topology-data.json is written in the shape of Containerlab's default template",
      { hint: "Read clab-<lab>/topology-data.json, or render it with your own tool" },
    );
}

/** deploy --graph: the lab's dot file (and PNG) in its lab dir. */
async function drawDeployed(lab: Awaited<ReturnType<typeof loadTopology>>, platform: Platform) {
  for (const file of await writeDeployGraph(lab, (argv) => platform.run(argv))) logger.info(`Created ${file}`);
}

/** lab up, and lab redeploy (the same with --reconfigure always on). */
export function upCommand(name: string, description: string, redeploy = false) {
  return defineCommand({
    meta: { name, description },
    args: {
      ...topoArgs,
      ...hostArgs,
      ...renderArgs,
      ...formatArgs,
      ...workerArgs,
      "post-deploy-timeout": {
        type: "string",
        description: "Seconds a NOS may take to answer its kind's post-deploy configuration (default 300)",
      },
      ...nodeFilterArgs,
      "dry-run": {
        type: "boolean",
        description: "Change nothing: print what would change in a running lab, or the plan of a new one",
      },
      ...(redeploy
        ? {}
        : {
            reconfigure: {
              type: "boolean",
              alias: "c",
              description: "Remove the running lab and its lab dir, then deploy (instead of applying the difference)",
            },
          }),
      share: { type: "boolean", description: "Start lab share --detach right after the deploy" },
      ...deployArgs,
      ...(redeploy ? redeployArgs : {}),
      ...globalArgs,
    },
    async run({ args, rawArgs }) {
      refuseUnsupported(args, rawArgs);
      const lab = await loadTopology(args.topo, {
        ...topoOptions(args, rawArgs),
        owner: args.owner,
        mgmt: { network: args.network, ipv4Subnet: args["ipv4-subnet"], ipv6Subnet: args["ipv6-subnet"] },
        warn: true,
        exportRendered: args["export-rendered"],
      });
      const only = nodeFilter(args["node-filter"]);
      const reconfigure = reconfigureOf(args, redeploy);
      const hostFlags = repeated(rawArgs, "host");
      if (args["dry-run"]) return printDryRun(lab, args.format, { only, reconfigure: !!reconfigure, hostFlags });
      const { hosts, nodeHost } = await cliHosts({ lab, flags: hostFlags });
      const plan = await planOnHosts(lab, hosts, nodeHost);
      const platform = hosts.local.platform;
      const signal = interruptSignal(() =>
        logger.warn("interrupted: stopping and removing what was created (Ctrl-C again to quit now)"),
      );
      const started = performance.now();
      const outcome = await upLab(
        lab,
        plan,
        { hosts, reporter: terminalReporter() },
        {
          reconfigure,
          only,
          maxWorkers: maxWorkers(args["max-workers"]),
          signal,
          kvmDevice: process.env.LAB_KVM_DEVICE,
          postDeployTimeoutMs: seconds(args["post-deploy-timeout"], "--post-deploy-timeout", 300) * 1000,
          skipPostDeploy: args["skip-post-deploy"],
        },
      );
      if (args.graph) await drawDeployed(lab, platform);
      sayOutcome(lab, outcome, `${((performance.now() - started) / 1000).toFixed(1)}s`);
      // A running lab reconciled: Containerlab's "Apply summary" table before the inspect table
      // (with --format table only: stdout stays one JSON document otherwise).
      if ((outcome.mode === "applied" || outcome.mode === "unchanged") && args.format !== "json") {
        logger.info("Apply summary");
        out(`${applyTable(outcome.diff)}\n`);
      }
      const shared = args.share ? await startSharing(lab, platform) : undefined;
      const { containers } = outcome.result;
      // As Containerlab's: JSON is the inspect output; the apply summary is for people (stderr).
      if (args.format === "json")
        return printJson(shared ? { ...inspectJson(containers), published: shared.sockets } : inspectJson(containers));
      out(`${inspectTable(containers)}\n`);
      if (shared) out(publishedTable(shared));
    },
  });
}

type Lab = Awaited<ReturnType<typeof loadTopology>>;

/** up --reconfigure, or redeploy's destroy flags (redeploy always starts over). */
function reconfigureOf(args: Record<string, unknown>, redeploy: boolean): boolean | DestroyFirst {
  const again = args as {
    cleanup?: boolean;
    graceful?: boolean;
    timeout?: string;
    all?: boolean;
    reconfigure?: boolean;
  };
  if (!redeploy) return Boolean(again.reconfigure);
  return {
    cleanup: !!again.cleanup,
    gracefulSeconds: again.graceful ? seconds(again.timeout, "--timeout") : undefined,
    keepMgmtNet: !!args["keep-mgmt-net"],
    all: !!again.all,
  };
}

/**
 * --dry-run: Containerlab's "Apply plan" for a running lab (cmd/deploy.go printDryRunResult: a
 * log line, the table on stdout), else the plan of a new one. Over several hosts the plan needs
 * them (addresses, the tunnels' port); else the engine is optional.
 */
async function printDryRun(
  lab: Lab,
  format: string | undefined,
  o: { only: string[] | undefined; reconfigure: boolean; hostFlags: string[] },
): Promise<void> {
  const spread = o.hostFlags.length > 0 || lab.nodes.some((n) => n.host);
  const onHosts = spread ? await cliHosts({ lab, flags: o.hostFlags }) : undefined;
  const plan = onHosts ? await planOnHosts(lab, onHosts.hosts, onHosts.nodeHost) : planDeploy(lab);
  const engine = onHosts?.hosts ?? (!o.reconfigure && !o.only ? await engineIfAny() : undefined);
  const diff = engine && !o.reconfigure && !o.only ? await dryRunUp(lab, plan, engine) : undefined;
  if (diff) {
    if (format === "json") return printJson(applyJson(lab.name, diff, true));
    logger.info("Apply plan");
    out(`${applyTable(diff)}\n`);
    for (const note of diff.notes) logger.info(note);
    return;
  }
  // Without the engine nothing counts as running: links to other nodes are shown as left out.
  const shown = o.only ? filterPlan(plan, o.only, new Set()) : plan;
  if (format === "json") return printJson(shown);
  out(stringify(shown, { lineWidth: 0 }));
}

/** The one line that says what the run did. */
function sayOutcome(lab: Lab, outcome: UpOutcome, took: string): void {
  const { result } = outcome;
  if (outcome.mode === "partial")
    logger.success(
      `lab ${lab.name}: ${outcome.plan.containers.length} of its nodes deployed, ${outcome.plan.links.length} links, in ${took}`,
    );
  else if (outcome.mode === "unchanged") logger.success(`lab ${lab.name} is up to date: nothing to change`);
  else if (outcome.mode === "applied")
    logger.success(`lab ${lab.name} applied in ${took}: ${outcome.diff.changes.length} changes`);
  else
    logger.success(
      `lab ${lab.name} is up: ${result.containers.length} containers, ${lab.links.length} links in ${took}`,
    );
}

export default upCommand("up", "Deploy a Containerlab topology, or apply its changes to the running lab");
