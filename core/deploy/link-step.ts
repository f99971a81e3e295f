import { allowBridge, bridgeChain, forwardLldp } from "../../runtime/net/firewall.ts";
import { dummySupported, linkNetns } from "../../runtime/net/ip.ts";
import { LabError } from "../errors.ts";
import type { LabModel, NodeModel } from "../topology/index.ts";
import { runLinkBatches } from "./link-run.ts";
import { type LinkContext, linkBatches } from "./links.ts";
import { StagedLinks } from "./links-staged.ts";
import { type DeployPlan, nsBridgeHost } from "./plan.ts";
import { type HostRun, hostOfNode, type RunContext } from "./run-context.ts";
import { hasHooks, runStageHooks } from "./stage-hooks.ts";
import { disableTxOffload } from "./tx-offload.ts";

// Containerlab's create-links stage: every link at once after the containers (in batches of ip
// commands per host), or, when a node waits on create-links or configure, each node's links as
// soon as both its ends run; then what the links need around them.

/**
 * What link creation on one host needs to know: every container's pid there (those lab starts are
 * recorded as they start, into `known`; external and already running ones are inspected now), netns
 * names, the management bridge, and the underlay of vxlan tunnels.
 */
export async function linkContext(run: HostRun, known: Map<string, number>): Promise<LinkContext> {
  const { host, links } = run;
  const starting = new Set(run.containers.map((c) => c.name));
  const netns = new Map<string, string>();
  for (const l of links) {
    for (const p of [l.a, l.b]) {
      if (p?.where !== "container") continue;
      netns.set(p.container, p.container);
      if (starting.has(p.container) || known.has(p.container)) continue;
      // An external (or already running) container: lab did not start it in this run.
      const info = await host.docker.containers.inspect(p.container);
      known.set(p.container, info.State.Pid);
      await linkNetns(host.platform, info.State.Pid, p.container);
    }
  }
  return {
    pids: known,
    netns,
    mgmtBridge: run.created.network?.bridge ?? "",
    dummy: links.some((l) => l.type === "dummy") ? await dummySupported(host.platform) : true,
    routes: run.routes,
  };
}

/** Links made as their nodes start (a node waits on create-links or configure), one set per host. */
export async function stagedLinks(lab: LabModel, runs: HostRun[], workers: number) {
  const staged = new Map<string, StagedLinks>();
  const wanted = lab.nodes.some((n) => n.waitFor.some((w) => w.stage === "create-links" || w.stage === "configure"));
  if (!wanted) return undefined;
  for (const r of runs)
    staged.set(
      r.host.name,
      new StagedLinks(r.links, await linkContext(r, r.created.pids), (b) =>
        runLinkBatches(r.host.platform, b, workers),
      ),
    );
  return staged;
}

/** The links not made yet: the rest of the staged ones, or all at once with every node's create-links hooks around them. */
export async function createLinks(
  lab: LabModel,
  plan: DeployPlan,
  runs: HostRun[],
  ctx: RunContext,
  workers: number,
  staged: Map<string, StagedLinks> | undefined,
): Promise<void> {
  if (staged) {
    for (const links of staged.values()) {
      await links.rest();
      const left = links.pending();
      if (left.length) throw new LabError("internal", `links not created: ${left.map((l) => l.label).join(", ")}`);
    }
    return;
  }
  const nodes = plan.containers.map((c) => lab.nodes.find((n) => n.name === c.node) as NodeModel);
  const linkHooks = hasHooks(nodes, "create-links");
  if (linkHooks) for (const n of nodes) await runStageHooks(n, "create-links", "on-enter", ctx.hooksOf(n.name));
  if (plan.links.length) {
    ctx.reporter.info(`creating ${plan.links.length} link${plan.links.length === 1 ? "" : "s"}`);
    await Promise.all(
      runs.map(async (r) => {
        if (!r.links.length) return;
        const lctx = await linkContext(r, r.created.pids);
        await runLinkBatches(r.host.platform, linkBatches(r.links, lctx), workers);
      }),
    );
  }
  if (linkHooks) for (const n of nodes) await runStageHooks(n, "create-links", "on-exit", ctx.hooksOf(n.name));
}

/**
 * LLDP across the management bridge (only now: Podman's netavark makes the bridge when the first
 * container joins it).
 */
export async function forwardLldpOnBridges(runs: HostRun[]): Promise<void> {
  for (const r of runs) {
    const net = r.created.network;
    if (net && net.bridge !== "docker0") await forwardLldp(r.host.platform, net.bridge);
  }
}

/**
 * Around the links: checksum offload off on the veths (Containerlab's), and host bridges the lab
 * joins passing forwarded traffic (Docker's FORWARD policy would drop what br_netfilter hands
 * them), as Containerlab's bridge PostDeploy allows it; a bridge inside a node's namespace is not
 * the host firewall's business (Containerlab skips it too).
 */
export async function afterLinks(lab: LabModel, runs: HostRun[], ctx: RunContext): Promise<void> {
  for (const r of runs)
    if (r.links.length) await disableTxOffload(r.host.platform, r.links, r.created.pids, ctx.reporter);
  for (const b of lab.nodes.filter((n) => n.kind.role === "bridge" && !nsBridgeHost(n, lab))) {
    const platform = hostOfNode(lab, ctx.hosts, b.name).platform;
    const chain = await bridgeChain(platform);
    const added = await allowBridge(platform, b.name, true, chain);
    if (added.length) ctx.reporter.debug(`bridge ${b.name}: ${added.join(", ")} ACCEPT in ${chain}`);
  }
}
