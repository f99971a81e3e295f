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
import { LabError } from "../errors.ts";
import { LOCAL } from "../hosts/definitions.ts";
import type { HostSet } from "../hosts/hosts.ts";
import { dropParked, parkedOfLab, parkedState, parkInterfaces, restoreInterfaces } from "../lifecycle/park.ts";
import type { LabModel } from "../topology/index.ts";
import { type ApplyDiff, applyPlan, diffLab, type LiveLab } from "./apply-plan.ts";
import type { DeployOptions } from "./execute.ts";
import { type DeployResult, deployLab, hostShares } from "./execute.ts";
import { byNode, listOnHosts } from "./inspect.ts";
import { type DeployPlan, ownedBy, type Placement } from "./plan.ts";
import { mapLimit } from "./pool.ts";
import { preflight } from "./preflight.ts";
import type { Reporter } from "./reporter.ts";
import { readState, stateFromPlan, writeState } from "./state.ts";

// `lab up` on a running lab: change only what differs (apply-plan.ts works out what). Nodes whose
// definition changed are re-created with their link ends parked and put back, so their peers'
// interfaces never go away; every other container is left alone.

export interface ApplyDeps {
  hosts: HostSet;
  reporter: Reporter;
}

/** What runs now, on every host: containers by node, and which link ends exist (live, parked or on a host). */
export async function liveLab(lab: LabModel, hosts: HostSet): Promise<LiveLab> {
  const containers = await listOnHosts(hosts, lab.name);
  const nodes = new Map(
    [...byNode(containers).values()].map((c) => [c.node, { container: c.name, running: c.state === "running" }]),
  );
  const ifaces = new Map<string, Set<string>>();
  await Promise.all(
    containers.map(async (c) => {
      const { docker, platform } = hosts.get(c.host);
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
  // Host ends, and links parked for nodes re-created by an apply that stopped (no container now).
  const onHost = new Map<string, Set<string>>();
  for (const h of hosts.all) {
    onHost.set(h.name, new Set(await hostInterfaces(h.platform)));
    for (const parked of await parkedOfLab(h.platform, lab.name))
      if (!ifaces.has(parked.container)) ifaces.set(parked.container, new Set(parked.interfaces.map((i) => i.name)));
  }
  return {
    nodes,
    present: (p: Placement) =>
      p.where === "host"
        ? (onHost.get(p.host ?? LOCAL)?.has(p.iface) ?? false)
        : (ifaces.get(p.container)?.has(p.iface) ?? false),
  };
}

/** The diff between the topology and the running lab (for --dry-run and for apply). */
export async function planApply(lab: LabModel, plan: DeployPlan, hosts: HostSet) {
  const live = await liveLab(lab, hosts);
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

/** Deletes link ends, grouped per host and namespace; an end already gone is fine. */
async function deleteEnds(ends: Placement[], hosts: HostSet, hostOf: (container: string) => string | undefined) {
  const byNs = new Map<string, { host: string | undefined; ns: string; list: Placement[] }>();
  for (const p of ends) {
    const host = p.where === "container" ? hostOf(p.container) : p.host;
    const ns = p.where === "container" ? p.container : "";
    const key = `${host ?? LOCAL}\0${ns}`;
    const entry = byNs.get(key) ?? { host, ns, list: [] };
    entry.list.push(p);
    byNs.set(key, entry);
  }
  for (const { host, ns, list } of byNs.values())
    await ipBatch(
      hosts.get(host).platform,
      list.map((p) => ({ argv: ["link", "del", "dev", p.iface], what: `the link end ${p.iface}` })),
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
  options: DeployOptions,
): Promise<DeployResult> {
  const { hosts, reporter } = deps;
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
  // Everything that would fail the deploy is checked before the first change is made, on every host.
  await Promise.all(
    hostShares(lab, partial, hosts).map((share) =>
      preflight(lab, partial, share.host.docker, share.host.platform, options.kvmDevice, {
        replacing: new Set(diff.recreateNodes),
        freed: new Set(
          diff.deleteEnds.flatMap((p) =>
            p.where === "host" && (p.host ?? LOCAL) === share.host.name ? [p.iface] : [],
          ),
        ),
        only: { host: share.host.name, containers: share.containers, links: share.links, images: share.images },
      }),
    ),
  );
  const live = await listOnHosts(hosts, lab.name);
  const containers = byNode(live);
  const byName = new Map(live.map((c) => [c.name, c.host]));
  // A distributed chassis's cards that joined its namespace go with it.
  const removeJoined = async (node: string) => {
    for (const j of live.filter((x) => x.node === node && x.joined)) {
      const { docker, platform } = hosts.get(j.host);
      await docker.containers.remove(j.id);
      await unlinkNetns(platform, j.name);
    }
  };
  if (diff.deleteEnds.length)
    await step(`deleted ${diff.deleteEnds.length} stale link end${diff.deleteEnds.length > 1 ? "s" : ""}`, () =>
      deleteEnds(diff.deleteEnds, hosts, (name) => byName.get(name)),
    );
  for (const node of diff.recreateNodes) {
    const c = containers.get(node);
    if (!c) continue;
    const { docker, platform } = hosts.get(c.host);
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
      await removeJoined(node);
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
        const { docker, platform } = hosts.get(c.host);
        await removeJoined(node);
        await docker.containers.remove(c.id);
        await unlinkNetns(platform, c.name);
        await dropParked(platform, c.name);
      });
      for (const { platform } of hosts.all)
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
          const { platform } = hosts.get(c.host);
          const ns = c.components?.[0]?.name ?? c.name;
          if (await parkedState(platform, ns)) await restoreInterfaces(platform, ns, ns);
        },
      }),
    );
  }
  await writeState(lab.labDir, stateFromPlan(plan));
  return result ?? { containers: await listOnHosts(hosts, lab.name), exec: [], postDeploy: [] };
}
