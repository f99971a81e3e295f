import { interfaceExists, interfacesOfPid, linkNetns, NETNS_DIR, unlinkNetns } from "../../runtime/net/ip.ts";
import type { Platform } from "../../runtime/platform/index.ts";
import { groupByNode, type LabContainer, listOnHosts } from "../deploy/inspect.ts";
import { runLinkBatches, vxlanRoutes } from "../deploy/link-run.ts";
import { type LinkContext, linkBatches } from "../deploy/links.ts";
import type { LinkStep, Placement } from "../deploy/plan.ts";
import type { Reporter } from "../deploy/reporter.ts";
import { logExec } from "../deploy/stage-hooks.ts";
import { readState } from "../deploy/state.ts";
import { disableMgmtTxOffload, disableTxOffload } from "../deploy/tx-offload.ts";
import { LabError } from "../errors.ts";
import type { HostSet } from "../hosts/hosts.ts";
import { findKind } from "../kinds/index.ts";
import { requireRoot } from "../root.ts";
import { closest } from "../topology/closest.ts";
import { shellSplit } from "../topology/units.ts";
import { settleMgmtBridge } from "./bridge.ts";
import { parkInterfaces, parkNetns, restoreInterfaces } from "./park.ts";

// lab stop / start / restart: the container is stopped and started (same ID, same disk), its link
// ends parked outside the dying namespace and put back, as Containerlab's node lifecycle does.

export interface LifecycleDeps {
  /** Every host the lab runs on; each node is stopped and started on its own. */
  hosts: HostSet;
  reporter: Reporter;
}

/** A node's engine and command runner: its host's. */
const on = (deps: LifecycleDeps, c: LabContainer) => ({ ...deps.hosts.get(c.host), reporter: deps.reporter });

export interface LifecycleTarget {
  lab: string;
  /** Node names; all of the lab's when empty. */
  nodes: string[];
}

export interface LifecycleResult {
  node: string;
  container: string;
  action: "stopped" | "started" | "restarted" | "repaired" | "unchanged";
  links: number;
}

/**
 * The lab's containers for the nodes asked for, a node's together (a distributed chassis's cards in
 * the order they were created, the one holding the namespace first); an unknown node is an error
 * naming the lab's nodes.
 */
async function targets(hosts: HostSet, target: LifecycleTarget): Promise<LabContainer[][]> {
  const all = await listOnHosts(hosts, target.lab);
  if (!all.length)
    throw new LabError("not-found", `lab ${target.lab} is not deployed`, { hint: "Run lab inspect --all" });
  const byNode = groupByNode(all);
  const unknown = target.nodes.filter((n) => !byNode.has(n));
  if (unknown.length) {
    const near = closest(unknown[0] as string, byNode.keys());
    throw new LabError("usage", `node ${unknown.join(", ")} is not in lab ${target.lab}`, {
      hint: near ? `did you mean "${near}"?` : `its nodes: ${[...byNode.keys()].sort().join(", ")}`,
    });
  }
  const groups = target.nodes.length ? target.nodes.map((n) => byNode.get(n) as LabContainer[]) : [...byNode.values()];
  return Promise.all(groups.map((g) => (g.length > 1 ? creationOrder(g, hosts) : g)));
}

async function creationOrder(group: LabContainer[], hosts: HostSet): Promise<LabContainer[]> {
  const created = new Map<string, string>();
  for (const c of group) created.set(c.id, (await hosts.get(c.host).docker.containers.inspect(c.id)).Created);
  return [...group].sort((a, b) => (created.get(a.id) ?? "").localeCompare(created.get(b.id) ?? ""));
}

/** A card that joined its chassis's namespace: only its container stops and starts; the links stay with the first. */
async function toggleJoined(c: LabContainer, deps: LifecycleDeps, run: boolean, timeoutSeconds = 10) {
  const { docker } = on(deps, c);
  const info = await docker.containers.inspect(c.id);
  if (info.State.Running === run) return { node: c.node, container: c.name, action: "unchanged" as const, links: 0 };
  if (run) await docker.containers.start(c.id);
  else await docker.containers.stop(c.id, timeoutSeconds);
  return { node: c.node, container: c.name, action: run ? ("started" as const) : ("stopped" as const), links: 0 };
}

/** Stops a node's containers: the cards that joined a namespace (last created first), then its owner. */
async function stopGroup(group: LabContainer[], deps: LifecycleDeps, timeoutSeconds: number) {
  const [owner, ...joined] = group as [LabContainer, ...LabContainer[]];
  const out: LifecycleResult[] = [];
  for (const c of joined.reverse()) out.push(await toggleJoined(c, deps, false, timeoutSeconds));
  out.push(await stopOne(owner, deps, timeoutSeconds));
  return out;
}

/** Starts a node's containers: the namespace's owner (its links put back), then the cards joining it. */
async function startGroup(group: LabContainer[], deps: LifecycleDeps, exec: boolean) {
  const [owner, ...joined] = group as [LabContainer, ...LabContainer[]];
  const out = [await startOne(owner, deps, exec)];
  // Its management veth is new: offload off again, as Containerlab's Start does for these kinds.
  const offload = findKind(owner.kind)?.mgmtTxOffloadOff;
  if (offload && out[0]?.action === "started") {
    const { docker, platform, reporter } = on(deps, owner);
    const info = await docker.containers.inspect(owner.id);
    if (info.HostConfig.NetworkMode !== "host" && info.HostConfig.NetworkMode !== "none")
      await disableMgmtTxOffload(platform, info.State.Pid, `node ${owner.node}`, reporter, offload);
  }
  for (const c of joined) out.push(await toggleJoined(c, deps, true));
  return out;
}

/** The kind's step before a stop (vrnetlab's qcow alias), bounded to 10 s; a failure is a warning. */
async function preStop(c: LabContainer, deps: LifecycleDeps): Promise<void> {
  const cmd = findKind(c.kind)?.preStop?.(c.image);
  if (!cmd) return;
  const { docker, reporter } = on(deps, c);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), 10_000);
  });
  const r = await Promise.race([docker.exec.run(c.id, cmd).catch((e: Error) => e), timeout]);
  clearTimeout(timer);
  if (r === "timeout") reporter.warn(`node ${c.node}: the pre-stop step did not finish within 10s`);
  else if (r instanceof Error) reporter.warn(`node ${c.node}: the pre-stop step failed: ${r.message}`);
  else if (r.exitCode !== 0)
    reporter.warn(
      `node ${c.node}: the pre-stop step exited ${r.exitCode}: ${new TextDecoder().decode(r.stderr).trim().split("\n")[0]}`,
    );
}

/** Stops one node, parking its link ends first. */
async function stopOne(c: LabContainer, deps: LifecycleDeps, timeoutSeconds: number): Promise<LifecycleResult> {
  const { docker, platform } = on(deps, c);
  const info = await docker.containers.inspect(c.id);
  if (!info.State.Running) return { node: c.node, container: c.name, action: "unchanged", links: 0 };
  await preStop(c, deps);
  const mode = info.HostConfig.NetworkMode;
  if (mode === "host" || mode.startsWith("container:"))
    throw new LabError("usage", `node ${c.node} uses network-mode ${mode}: its interfaces are not its own to park`, {
      hint: "Stop the node that owns the namespace instead",
    });
  await linkNetns(platform, info.State.Pid, c.name);
  const parked = await parkInterfaces(platform, {
    lab: c.lab,
    node: c.node,
    container: c.name,
    netns: c.name,
    keep: mode === "none" ? [] : ["eth0"],
  });
  try {
    await docker.containers.stop(c.id, timeoutSeconds);
  } catch (error) {
    if (parked) await restoreInterfaces(platform, c.name, c.name, { force: true }).catch(() => {});
    throw error;
  }
  // While the node is down its namespace name shows the parked interfaces (ip -n <container> link).
  await unlinkNetns(platform, c.name);
  if (parked) await platform.symlink(`${NETNS_DIR}/${parkNetns(c.name)}`, `${NETNS_DIR}/${c.name}`).catch(() => {});
  return { node: c.node, container: c.name, action: "stopped", links: parked?.interfaces.length ?? 0 };
}

/** The container ends a node lacks of the links it should have (after a stop lab did not park). */
async function missingLinks(c: LabContainer, pid: number, platform: Platform): Promise<LinkStep[]> {
  const state = await readState(c.labDir);
  if (!state) return [];
  const present = new Set(await interfacesOfPid(platform, pid));
  const mine = (p: Placement | undefined) => p?.where === "container" && p.container === c.name;
  return Object.values(state.links).filter((l) => {
    const end = mine(l.a) ? l.a : mine(l.b) ? l.b : undefined;
    return end && !present.has(end.iface);
  });
}

/** Re-makes links whose ends died with a container stopped outside lab; their other ends go first. */
async function repairLinks(c: LabContainer, pid: number, lifecycle: LifecycleDeps): Promise<number> {
  const deps = on(lifecycle, c);
  const missing = await missingLinks(c, pid, deps.platform);
  if (!missing.length) return 0;
  const pids = new Map<string, number>([[c.name, pid]]);
  const netns = new Map<string, string>();
  const stale: { ns?: string; iface: string }[] = [];
  const steps: LinkStep[] = [];
  for (const s of missing) {
    // A link whose other node is down waits: starting that node makes it.
    const peers = [s.a, s.b].filter((p) => p?.where === "container" && p.container !== c.name) as Extract<
      Placement,
      { where: "container" }
    >[];
    const infos = await Promise.all(peers.map((p) => deps.docker.containers.find(p.container)));
    const down = peers.find((_, i) => !infos[i]?.State.Running);
    if (down) {
      deps.reporter.info(`node ${c.node}: link ${s.label} waits for ${down.node}, which is not running`);
      continue;
    }
    steps.push(s);
    for (const p of [s.a, s.b]) {
      if (!p) continue;
      if (p.where === "host") {
        if (await interfaceExists(deps.platform, p.iface)) stale.push({ iface: p.iface });
        continue;
      }
      netns.set(p.container, p.container);
      if (p.container === c.name) continue;
      const info = infos[peers.indexOf(p)];
      if (!info) continue;
      pids.set(p.container, info.State.Pid);
      await linkNetns(deps.platform, info.State.Pid, p.container);
      if ((await interfacesOfPid(deps.platform, info.State.Pid)).includes(p.iface))
        stale.push({ ns: p.container, iface: p.iface });
    }
  }
  if (!steps.length) return 0;
  for (const s of stale) await deps.platform.run(["ip", ...(s.ns ? ["-n", s.ns] : []), "link", "del", "dev", s.iface]);
  const ctx: LinkContext = {
    pids,
    netns,
    mgmtBridge: "",
    dummy: true,
    routes: await vxlanRoutes(steps, deps.platform),
  };
  await runLinkBatches(deps.platform, linkBatches(steps, ctx), 4);
  await disableTxOffload(deps.platform, steps, pids, deps.reporter);
  deps.reporter.info(
    `node ${c.node}: re-made ${steps.length} link${steps.length === 1 ? "" : "s"} (${steps.map((s) => s.label).join(", ")})`,
  );
  return steps.length;
}

/** Starts one node and puts its parked link ends back; `exec` re-runs its exec commands. */
async function startOne(c: LabContainer, deps: LifecycleDeps, exec: boolean): Promise<LifecycleResult> {
  const { docker, platform, reporter } = on(deps, c);
  let info = await docker.containers.inspect(c.id);
  if (info.State.Running) {
    // Started behind lab's back (docker start): its links may be missing; they are re-made.
    await linkNetns(platform, info.State.Pid, c.name);
    const repaired = await repairLinks(c, info.State.Pid, deps);
    return { node: c.node, container: c.name, action: repaired ? "repaired" : "unchanged", links: repaired };
  }
  await docker.containers.start(c.id);
  info = await docker.containers.inspect(c.id);
  await linkNetns(platform, info.State.Pid, c.name);
  let restored: Awaited<ReturnType<typeof restoreInterfaces>>;
  try {
    restored = await restoreInterfaces(platform, c.name, c.name);
  } catch (error) {
    await docker.containers.stop(c.id).catch(() => {});
    throw error;
  }
  const repaired = await repairLinks(c, info.State.Pid, deps);
  if (exec) {
    const state = await readState(c.labDir);
    const commands = JSON.parse(state?.nodes[c.node]?.fingerprint.exec || "[]") as string[];
    for (const command of commands) {
      const argv = shellSplit(command);
      const r = await docker.exec.run(c.name, argv);
      const decode = (b: Uint8Array) => new TextDecoder().decode(b);
      // As at deploy: Containerlab's "Executed command" lines.
      logExec(reporter, {
        node: c.node,
        argv,
        exitCode: r.exitCode,
        stdout: decode(r.stdout),
        stderr: decode(r.stderr),
      });
    }
  }
  return { node: c.node, container: c.name, action: "started", links: (restored?.interfaces.length ?? 0) + repaired };
}

export async function stopNodes(target: LifecycleTarget, deps: LifecycleDeps, timeoutSeconds = 10) {
  requireRoot(deps.hosts.local.platform, "stop", "lifecycle");
  const out: LifecycleResult[] = [];
  for (const g of await targets(deps.hosts, target)) out.push(...(await stopGroup(g, deps, timeoutSeconds)));
  return out;
}

export async function startNodes(target: LifecycleTarget, deps: LifecycleDeps, options: { exec?: boolean } = {}) {
  requireRoot(deps.hosts.local.platform, "start", "lifecycle");
  const out: LifecycleResult[] = [];
  const groups = await targets(deps.hosts, target);
  for (const g of groups) out.push(...(await startGroup(g, deps, !!options.exec)));
  await settleMgmtBridge(groups.flat(), deps);
  return out;
}

export async function restartNodes(
  target: LifecycleTarget,
  deps: LifecycleDeps,
  options: { exec?: boolean; timeoutSeconds?: number } = {},
) {
  requireRoot(deps.hosts.local.platform, "restart", "lifecycle");
  const out: LifecycleResult[] = [];
  const groups = await targets(deps.hosts, target);
  for (const g of groups) {
    await stopGroup(g, deps, options.timeoutSeconds ?? 10);
    const started = await startGroup(g, deps, !!options.exec);
    out.push(...started.map((r) => ({ ...r, action: "restarted" as const })));
  }
  await settleMgmtBridge(groups.flat(), deps);
  return out;
}
