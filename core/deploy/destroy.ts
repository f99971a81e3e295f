import { rm } from "node:fs/promises";
import type { DockerClient } from "../../runtime/docker/index.ts";
import { disallowBridge } from "../../runtime/net/firewall.ts";
import { bridgePorts, deleteInterfaces, interfacesWithAlias, unlinkNetns } from "../../runtime/net/ip.ts";
import type { Platform } from "../../runtime/platform/index.ts";
import { LabError } from "../errors.ts";
import type { HostSet } from "../hosts/hosts.ts";
import { forgetHosts } from "../hosts/registry.ts";
import { dropParked, parkedOfLab } from "../lifecycle/park.ts";
import { requireRoot } from "../root.ts";
import { removeHostsBlock, removeSshConfig, writeHostsBlock } from "./artifacts.ts";
import { groupByLab, listOnHosts } from "./inspect.ts";
import { ownedBy } from "./plan.ts";
import { mapLimit } from "./pool.ts";
import type { Reporter } from "./reporter.ts";
import { readState, writeState } from "./state.ts";

export interface DestroyTarget {
  /** A lab by name (from -t or --name). */
  name?: string;
  /** The lab dir the topology implies, for --cleanup when no container is left. */
  labDir?: string;
  all?: boolean;
  /** Only these nodes (--node-filter): the rest of the lab, its network and lab dir stay. */
  nodes?: string[];
}

export interface DestroyOptions {
  cleanup: boolean;
  maxWorkers: number;
  /** Stop each container (this many seconds for it to shut down) before removing it. */
  gracefulSeconds?: number;
  /** Leave the management network in place. */
  keepMgmtNet?: boolean;
  /** Run before anything is removed (lab share stop). */
  beforeRemove?: (lab: string, labDir: string) => Promise<void>;
}

export interface DestroyResult {
  labs: { name: string; containers: string[]; networkRemoved?: string; labDir?: string }[];
}

/**
 * Removes labs found by their containers' labels, so it works when the topology file is gone:
 * containers (their links go with their namespaces), host-side tunnels (found by their ifalias),
 * netns names, the hosts block, the ssh config,
 * the management network when lab made it and nothing else uses it, and with `cleanup` the lab dir.
 */
export async function destroyLabs(
  target: DestroyTarget,
  hosts: HostSet,
  reporter: Reporter,
  options: DestroyOptions,
): Promise<DestroyResult> {
  if (!target.all && !target.name)
    throw new LabError("usage", "name a lab to remove", { hint: "Use -t FILE, --name LAB or --all" });
  requireRoot(hosts.local.platform, "down", "down");
  const containers = await listOnHosts(hosts, target.all ? undefined : target.name);
  const labs = groupByLab(containers);
  if (target.name && !labs.has(target.name)) labs.set(target.name, []);
  const result: DestroyResult = { labs: [] };
  for (const [name, all] of labs) {
    const only = target.nodes ? new Set(target.nodes) : undefined;
    const list = only ? all.filter((c) => only.has(c.node)) : all;
    const labDir = all.find((c) => c.labDir)?.labDir ?? target.labDir;
    if (!list.length) reporter.info(`lab ${name} has no containers${only ? ` for ${[...only].join(", ")}` : ""}`);
    if (options.beforeRemove && !only) await options.beforeRemove(name, labDir ?? "");
    // The management network on each host the lab's containers ran on.
    const networks = new Map<string, { host: string | undefined; net: string }>();
    for (const c of list)
      if (c.network) networks.set(`${c.host ?? ""}\0${c.network}`, { host: c.host, net: c.network });
    const spread = new Set(all.map((c) => c.host ?? "local")).size > 1;
    reporter.info(
      `removing ${list.length} container${list.length === 1 ? "" : "s"} of lab ${name}${spread ? ` on ${new Set(list.map((c) => c.host ?? "local")).size} hosts` : ""}`,
    );
    await mapLimit(list, Math.max(options.maxWorkers, 8), async (c) => {
      const { docker, platform } = hosts.get(c.host);
      // A graceful stop lets the NOS save and close; one that fails still ends in a forced removal.
      if (options.gracefulSeconds !== undefined && c.state === "running")
        await docker.containers
          .stop(c.id, options.gracefulSeconds)
          .catch((e) => reporter.warn(`cannot stop ${c.name} gracefully: ${(e as Error).message}; removing it anyway`));
      await docker.containers.remove(c.id);
      await unlinkNetns(platform, c.name);
      // A stopped node's parked link ends go with it.
      await dropParked(platform, c.name);
    });
    for (const h of hosts.all) {
      // Parked links of nodes whose container is already gone (an apply that stopped halfway).
      for (const parked of await parkedOfLab(h.platform, name))
        if (!only || only.has(parked.node)) await dropParked(h.platform, parked.container);
      const tunnels = await interfacesWithAlias(h.platform, ownedBy(name, only));
      if (tunnels.length) {
        await deleteInterfaces(h.platform, tunnels);
        reporter.info(
          `removed host interface${tunnels.length === 1 ? "" : "s"} ${tunnels.join(", ")}${h.name === "local" ? "" : ` on ${h.name}`}`,
        );
      }
    }
    if (only) {
      // Part of the lab stays: its hosts entries are rewritten, the rest is kept.
      const rest = all.filter((c) => !only.has(c.node));
      if (labDir) {
        await dropPeerEnds(labDir, only, rest, hosts);
        await forgetNodes(labDir, only);
      }
      await writeHostsBlock(name, rest).catch((e) =>
        reporter.warn(`cannot update /etc/hosts: ${(e as Error).message}`),
      );
      result.labs.push({ name, containers: list.map((c) => c.name), labDir });
      continue;
    }
    await removeHostsBlock(name).catch((e) => reporter.warn(`cannot update /etc/hosts: ${(e as Error).message}`));
    if (labDir) await dropBridgeRules(labDir, hosts);
    await forgetHosts(hosts.local.platform.env, name);
    await removeSshConfig(name).catch(() => {});
    let networkRemoved: string | undefined;
    if (options.keepMgmtNet && networks.size)
      reporter.info(`kept the management network ${[...new Set([...networks.values()].map((n) => n.net))].join(", ")}`);
    else
      for (const { host, net } of networks.values()) {
        const h = hosts.get(host);
        if (await removeNetworkWhenEmpty(h.docker, net, reporter, h.platform)) networkRemoved = net;
      }
    if (options.cleanup && labDir) {
      // The copies of the lab's files a remote host received go as the lab dir does here.
      for (const h of hosts.remotes) await h.platform.remove(labDir).catch(() => {});
      await rm(labDir, { recursive: true, force: true });
      reporter.info(`removed ${labDir}`);
    }
    result.labs.push({ name, containers: list.map((c) => c.name), networkRemoved, labDir });
  }
  return result;
}

/**
 * Removes a management network that a lab created (it carries the containerlab label) once nothing
 * is attached. Right after many containers were removed the engine may still be detaching their
 * endpoints, so "active endpoints" is retried for a few seconds.
 */
async function removeNetworkWhenEmpty(
  docker: DockerClient,
  name: string,
  reporter: Reporter,
  platform: Platform,
): Promise<boolean> {
  let attached: unknown[] = [];
  for (let attempt = 0; attempt < 20; attempt++) {
    const info = await docker.networks.find(name);
    if (!info?.Labels || !("containerlab" in info.Labels)) return false;
    attached = Object.values(info.Containers ?? {}).filter((c) => !c.Name.startsWith("ep-"));
    try {
      if (attached.length === 0) {
        // The bridge's name first: Podman can only say it while the network exists.
        const bridge = await docker.networks.bridge(info);
        await docker.networks.remove(info.Id);
        await disallowBridge(platform, bridge);
        // Podman forgets the network but can leave its bridge behind (netavark keeps one that a
        // mgmt-net host end still held when the last container went); an empty one is removed.
        if ((await docker.transport.podman()) && (await bridgePorts(platform, bridge)) === 0)
          await deleteInterfaces(platform, [bridge]);
        return true;
      }
      // Attached containers that are not being removed belong to another lab: keep the network.
      if (attempt >= 5) return false;
    } catch (error) {
      if (!(error instanceof LabError && /active endpoints/i.test(error.message))) {
        reporter.warn(`cannot remove network ${name}: ${(error as Error).message}`);
        return false;
      }
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  reporter.warn(
    attached.length
      ? `network ${name} still has endpoints; left in place`
      : `network ${name} has no container left but the engine still counts endpoints on it (a known dockerd fault, moby/moby#42119); left in place: restarting dockerd frees it`,
  );
  return false;
}

/**
 * The ends the remaining nodes had of the removed nodes' links. The kernel deletes them with the
 * removed namespaces, but later, on its own clean-up thread: a `lab up` of the same nodes right
 * after would find them still there. Deleted now, a missing one being what is expected.
 */
async function dropPeerEnds(
  labDir: string,
  nodes: ReadonlySet<string>,
  rest: { name: string; host?: string; state: string }[],
  hosts: HostSet,
): Promise<void> {
  const state = await readState(labDir);
  if (!state) return;
  const running = new Map(rest.filter((c) => c.state === "running").map((c) => [c.name, c]));
  for (const l of Object.values(state.links)) {
    const ends = [l.a, l.b];
    if (!ends.some((p) => p?.where === "container" && nodes.has(p.node))) continue;
    for (const p of ends) {
      const peer = p?.where === "container" && !nodes.has(p.node) ? running.get(p.container) : undefined;
      if (peer && p?.where === "container")
        await hosts.get(peer.host).platform.run(["ip", "-n", p.container, "link", "del", "dev", p.iface]);
    }
  }
}

/** The DOCKER-USER rules the deploy added for the host bridges the lab's links joined. */
async function dropBridgeRules(labDir: string, hosts: HostSet): Promise<void> {
  const state = await readState(labDir);
  const bridges = new Map<string, string | undefined>();
  // "@mgmt" stands for the management bridge, whose rules go with its network.
  for (const l of Object.values(state?.links ?? {}))
    for (const p of [l.a, l.b])
      if (p?.where === "host" && p.master && !p.master.startsWith("@")) bridges.set(p.master, p.host);
  for (const [bridge, host] of bridges) await disallowBridge(hosts.get(host).platform, bridge);
}

/** Removes nodes (and their links) from the lab's recorded state after a partial lab down. */
async function forgetNodes(labDir: string, nodes: ReadonlySet<string>): Promise<void> {
  const state = await readState(labDir);
  if (!state) return;
  for (const n of nodes) delete state.nodes[n];
  const touches = (p: { where: string; node?: string } | undefined) =>
    p?.where === "container" && nodes.has(p.node as string);
  for (const [key, l] of Object.entries(state.links)) if (touches(l.a) || touches(l.b)) delete state.links[key];
  await writeState(labDir, state);
}
