import type { DockerClient, EngineEvent } from "../../runtime/docker/index.ts";
import type { Platform } from "../../runtime/platform/index.ts";
import { findLabContainer, type LabContainer, listLabContainers } from "../deploy/inspect.ts";
import { LabError } from "../errors.ts";
import type { HostSet } from "../hosts/hosts.ts";
import { InterfaceWatcher } from "./interfaces.ts";
import { type LabEvent, nowNs } from "./types.ts";

// `lab events`: the engine's container events for lab nodes, and the interface events inside
// each running node, merged into one stream as Containerlab's `events` does.

export interface EventsOptions {
  /** One lab, or every lab when undefined. */
  lab?: string;
  /** Emit the current containers and interfaces first (--initial-state). */
  initialState: boolean;
  /** Interface counters and rates every `intervalMs` (--interface-stats). */
  stats: boolean;
  intervalMs: number;
  signal: AbortSignal;
  /** Called once the engine's stream is followed and the running nodes' interfaces are watched. */
  ready?: () => void;
}

export interface EventsDeps {
  docker: DockerClient;
  platform: Platform;
}

const STARTS = new Set(["start", "unpause", "restart"]);
const ENDS = new Set(["die", "stop", "destroy", "kill"]);

function portsAttribute(c: LabContainer): string {
  return [...c.ports]
    .sort(
      (a, b) => a.containerPort - b.containerPort || a.protocol.localeCompare(b.protocol) || a.hostPort - b.hostPort,
    )
    .map(
      (p) =>
        `${p.hostIp.includes(":") ? `[${p.hostIp}]` : p.hostIp || "0.0.0.0"}:${p.hostPort}/${p.protocol}->${p.containerPort}`,
    )
    .join(";");
}

/** What the listing adds to an engine event: the management addresses and published ports. */
function enrich(attrs: Record<string, string>, c: LabContainer | undefined): Record<string, string> {
  if (!c) return attrs;
  const out = { ...attrs };
  if (c.ipv4) out.mgmt_ipv4 ??= c.ipv4;
  if (c.ipv6) out.mgmt_ipv6 ??= c.ipv6;
  const ports = portsAttribute(c);
  if (ports) out.ports ??= ports;
  return out;
}

function containerEvent(e: EngineEvent, c: LabContainer | undefined): LabEvent {
  const attrs: Record<string, string> = { ...(e.Actor.Attributes ?? {}) };
  if (e.scope) attrs.scope = e.scope;
  const time =
    e.timeNano !== undefined ? BigInt(e.timeNano) : e.time !== undefined ? BigInt(e.time) * 1_000_000_000n : nowNs();
  return {
    timeNs: time,
    type: "container",
    action: e.Action.toLowerCase(),
    actorId: e.Actor.ID.slice(0, 12),
    actorName: attrs.name ?? "",
    actorFullId: e.Actor.ID,
    attributes: enrich(attrs, c),
  };
}

/** A container as it is now (--initial-state): its state as the action, origin=snapshot. */
function snapshotEvent(c: LabContainer, labels: Record<string, string>): LabEvent {
  const attrs: Record<string, string> = {
    ...labels,
    origin: "snapshot",
    image: c.image,
    status: c.status,
    state: c.state,
  };
  if (c.network) attrs.network = c.network;
  return {
    timeNs: nowNs(),
    type: "container",
    action: c.state.toLowerCase() || "snapshot",
    actorId: c.id.slice(0, 12),
    actorName: c.name,
    actorFullId: c.id,
    attributes: enrich(attrs, c),
  };
}

/** Streams until `options.signal` aborts; an engine that goes away is an error. */
export async function streamEvents(
  deps: EventsDeps,
  options: EventsOptions,
  emit: (e: LabEvent) => void,
): Promise<void> {
  const { docker, platform } = deps;
  const watchers = new Map<string, InterfaceWatcher>();
  const watch = async (c: { id: string; name: string; lab: string }, fresh: boolean) => {
    if (watchers.has(c.id) || options.signal.aborted) return;
    const info = await docker.containers.find(c.id);
    if (!info?.State.Running || !info.State.Pid) return;
    const w = new InterfaceWatcher(platform, { ...c, pid: info.State.Pid }, emit);
    watchers.set(c.id, w);
    await w.start({ fresh, snapshot: options.initialState });
    if (options.stats) await w.sampleStats();
  };
  const unwatch = async (id: string) => {
    const w = watchers.get(id);
    watchers.delete(id);
    await w?.stop();
  };

  // Engine events are handled one after another, so a node's interfaces are reported after its start.
  let queue = Promise.resolve();
  const onEngineEvent = (e: EngineEvent) => {
    queue = queue
      .then(async () => {
        const action = e.Action.toLowerCase();
        const c = action === "destroy" ? undefined : await findLabContainer(docker, e.Actor.ID).catch(() => undefined);
        emit(containerEvent(e, c));
        const attrs = e.Actor.Attributes ?? {};
        if (STARTS.has(action))
          await watch({ id: e.Actor.ID, name: attrs.name ?? "", lab: attrs.containerlab ?? "" }, true);
        else if (ENDS.has(action)) await unwatch(e.Actor.ID);
      })
      .catch(() => {});
  };

  const label = options.lab ? `containerlab=${options.lab}` : "containerlab";
  // Followed before the listing, so a node that starts meanwhile is not missed (watch() dedupes).
  const following = await docker.system.events({ type: ["container"], label: [label] }, onEngineEvent, options.signal);
  const stats = options.stats
    ? setInterval(() => {
        for (const w of watchers.values()) void w.sampleStats();
      }, options.intervalMs)
    : undefined;
  try {
    const containers = await listLabContainers(docker, options.lab);
    if (options.initialState) {
      const summaries = new Map(
        (await docker.containers.list(options.lab ? { containerlab: options.lab } : { containerlab: true })).map(
          (s) => [s.Id, s.Labels ?? {}],
        ),
      );
      for (const c of containers)
        if (c.state === "running" || c.state === "exited") emit(snapshotEvent(c, summaries.get(c.id) ?? {}));
    }
    for (const c of containers) if (c.state === "running") await watch({ id: c.id, name: c.name, lab: c.lab }, false);
    options.ready?.();
    await following.ended;
    if (!options.signal.aborted)
      throw new LabError("engine", "the engine closed its event stream", {
        hint: "Is dockerd still running? Start lab events again",
      });
  } finally {
    clearInterval(stats);
    await queue;
    await Promise.all([...watchers.keys()].map(unwatch));
  }
}

/**
 * `lab events` over every host a lab runs on: one engine stream per host, merged. In a lab that spans
 * hosts, each event names its host (attribute `host`); a single-host lab's events are Containerlab's.
 * The first stream to fail ends them all.
 */
export async function streamEventsOnHosts(
  hosts: HostSet,
  options: EventsOptions,
  emit: (e: LabEvent) => void,
): Promise<void> {
  if (!hosts.remotes.length) return streamEvents(hosts.local, options, emit);
  const stop = new AbortController();
  const signal = AbortSignal.any([options.signal, stop.signal]);
  let waiting = hosts.all.length;
  const ready = () => {
    if (--waiting === 0) options.ready?.();
  };
  const streams = hosts.all.map((h) =>
    streamEvents(h, { ...options, signal, ready }, (e) =>
      emit({ ...e, attributes: { ...e.attributes, host: h.name } }),
    ).catch((error: Error) => {
      stop.abort();
      throw error instanceof LabError
        ? new LabError(error.code, `host ${h.name}: ${error.message}`, { hint: error.hint })
        : error;
    }),
  );
  await Promise.all(streams);
}
