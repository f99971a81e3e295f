import type { DockerClient } from "../../runtime/docker/index.ts";
import {
  deleteInterfaces,
  hostInterfaces,
  interfacesOfPid,
  interfacesWithAlias,
  ipBatch,
  linkNetns,
  pidOfNetnsLink,
  unlinkNetns,
} from "../../runtime/net/ip.ts";
import type { Platform } from "../../runtime/platform/index.ts";
import { LabError } from "../errors.ts";
import { dropParked, parkedOfLab, parkedState, parkInterfaces, restoreInterfaces } from "../lifecycle/park.ts";
import type { LabModel } from "../topology/index.ts";
import { type ApplyDiff, applyPlan, diffLab, type LiveLab } from "./apply-plan.ts";
import { type DeployResult, deployLab } from "./execute.ts";
import { listLabContainers } from "./inspect.ts";
import { type DeployPlan, ownedBy, type Placement } from "./plan.ts";
import { mapLimit } from "./pool.ts";
import { preflight } from "./preflight.ts";
import type { Reporter } from "./reporter.ts";
import { readState, stateFromPlan, writeState } from "./state.ts";

// `lab up` on a running lab: change only what differs (apply-plan.ts works out what). Nodes whose
// definition changed are re-created with their link ends parked and put back, so their peers'
// interfaces never go away; every other container is left alone.

export interface ApplyDeps {
  docker: DockerClient;
  platform: Platform;
  reporter: Reporter;
}

/** What runs now: containers by node, and which link ends exist (live, parked or on the host). */
export async function liveLab(lab: LabModel, docker: DockerClient, platform: Platform): Promise<LiveLab> {
  const containers = await listLabContainers(docker, lab.name);
  const nodes = new Map(containers.map((c) => [c.node, { container: c.name, running: c.state === "running" }]));
  const ifaces = new Map<string, Set<string>>();
  await Promise.all(
    containers.map(async (c) => {
      const names = new Set<string>();
      if (c.state === "running") {
        // The /run/netns link lab keeps names the process; /proc lists its interfaces without a spawn.
        let pid = await pidOfNetnsLink(platform, c.name);
        if (!pid || !(await interfacesOfPid(platform, pid)).length) {
          pid = (await docker.containers.inspect(c.id)).State.Pid;
          await linkNetns(platform, pid, c.name);
        }
        for (const n of await interfacesOfPid(platform, pid)) names.add(n);
      }
      for (const i of (await parkedState(platform, c.name))?.interfaces ?? []) names.add(i.name);
      ifaces.set(c.name, names);
    }),
  );
  // A node re-created by an apply that stopped has no container, but its links wait parked.
  for (const parked of await parkedOfLab(platform, lab.name))
    if (!ifaces.has(parked.container)) ifaces.set(parked.container, new Set(parked.interfaces.map((i) => i.name)));
  // Host ends: one listing, so that the diff itself stays a pure function.
  const onHost = new Set(await hostInterfaces(platform));
  return {
    nodes,
    present: (p: Placement) =>
      p.where === "host" ? onHost.has(p.iface) : (ifaces.get(p.container)?.has(p.iface) ?? false),
  };
}

/** The diff between the topology and the running lab (for --dry-run and for apply). */
export async function planApply(lab: LabModel, plan: DeployPlan, docker: DockerClient, platform: Platform) {
  const live = await liveLab(lab, docker, platform);
  const stopped = [...live.nodes].filter(([, n]) => !n.running).map(([name]) => name);
  if (stopped.length)
    throw new LabError(
      "conflict",
      `cannot change lab ${lab.name} while ${stopped.join(", ")} ${stopped.length > 1 ? "are" : "is"} stopped`,
      {
        hint: `Start ${stopped.length > 1 ? "them" : "it"} first (lab start -n ${stopped.join(",")}), or redeploy with lab up --reconfigure`,
      },
    );
  return { diff: diffLab(plan, live, await readState(lab.labDir)), live };
}

/** Deletes link ends, grouped per namespace; an end already gone is fine. */
async function deleteEnds(ends: Placement[], platform: Platform): Promise<void> {
  const byNs = new Map<string, Placement[]>();
  for (const p of ends) {
    const ns = p.where === "container" ? p.container : "";
    byNs.set(ns, [...(byNs.get(ns) ?? []), p]);
  }
  for (const [ns, list] of byNs)
    await ipBatch(
      platform,
      list.map((p) => ({ command: `link del dev ${p.iface}`, what: `the link end ${p.iface}` })),
      ns || undefined,
      true,
    ).catch(() => {});
}

/**
 * Applies the diff: stale link ends go, changed nodes are parked and removed, removed nodes
 * deleted, then the new and changed nodes are deployed with their links (parked ends put back as
 * each container starts), and the lab's state is recorded. Each step is logged as it is done; a
 * failure says which step, and the next `lab up` carries on from what is there.
 */
export async function applyLab(
  lab: LabModel,
  plan: DeployPlan,
  diff: ApplyDiff,
  deps: ApplyDeps,
  options: { maxWorkers: number; signal: AbortSignal; kvmDevice?: string },
): Promise<DeployResult> {
  const { docker, platform, reporter } = deps;
  const done: string[] = [];
  const step = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
    try {
      const out = await work();
      done.push(what);
      reporter.info(what);
      return out;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new LabError(
        error instanceof LabError ? error.code : "internal",
        `apply stopped at "${what}": ${message}`,
        {
          hint: `${done.length ? `done before it: ${done.join("; ")}. ` : ""}Run lab up again to carry on from here`,
          cause: error,
        },
      );
    }
  };
  const partial = applyPlan(plan, diff);
  // Everything that would fail the deploy is checked before the first change is made.
  await preflight(lab, partial, docker, platform, options.kvmDevice, {
    replacing: new Set(diff.recreateNodes),
    freed: new Set(diff.deleteEnds.flatMap((p) => (p.where === "host" ? [p.iface] : []))),
  });
  const containers = new Map((await listLabContainers(docker, lab.name)).map((c) => [c.node, c]));
  if (diff.deleteEnds.length)
    await step(`deleted ${diff.deleteEnds.length} stale link end${diff.deleteEnds.length > 1 ? "s" : ""}`, () =>
      deleteEnds(diff.deleteEnds, platform),
    );
  for (const node of diff.recreateNodes) {
    const c = containers.get(node);
    if (!c) continue;
    await step(`removed ${node} for re-creation (its links parked)`, async () => {
      const info = await docker.containers.inspect(c.id);
      await linkNetns(platform, info.State.Pid, c.name);
      const mode = info.HostConfig.NetworkMode;
      await parkInterfaces(platform, {
        lab: lab.name,
        node,
        container: c.name,
        netns: c.name,
        keep: mode === "none" ? [] : ["eth0"],
      });
      await docker.containers.remove(c.id);
      await unlinkNetns(platform, c.name);
    });
  }
  if (diff.deleteNodes.length)
    await step(`deleted ${diff.deleteNodes.join(", ")}`, async () => {
      const gone = new Set(diff.deleteNodes);
      await mapLimit(diff.deleteNodes, options.maxWorkers, async (node) => {
        const c = containers.get(node);
        if (!c) return;
        await docker.containers.remove(c.id);
        await unlinkNetns(platform, c.name);
        await dropParked(platform, c.name);
      });
      await deleteInterfaces(platform, await interfacesWithAlias(platform, ownedBy(lab.name, gone)));
    });
  let result: DeployResult | undefined;
  if (partial.containers.length || partial.links.length) {
    const what = [
      diff.createNodes.length ? `created ${diff.createNodes.join(", ")}` : "",
      diff.recreateNodes.length ? `re-created ${diff.recreateNodes.join(", ")}` : "",
      partial.links.length ? `made ${partial.links.length} link${partial.links.length > 1 ? "s" : ""}` : "",
    ]
      .filter(Boolean)
      .join(", ");
    result = await step(what, () =>
      deployLab(lab, partial, deps, {
        ...options,
        // A node's parked ends (from its old container, or an earlier apply that stopped) go back
        // into the new one before anything else is linked to it.
        afterStart: async (c) => {
          if (await parkedState(platform, c.name)) await restoreInterfaces(platform, c.name, c.name);
        },
      }),
    );
  }
  await writeState(lab.labDir, stateFromPlan(plan));
  return result ?? { containers: await listLabContainers(docker, lab.name), exec: [] };
}
