import { ipBatch, ipJson, linkNetns, NETNS_DIR, netnsAdd, netnsDel, pidOfNetnsLink } from "../../runtime/net/ip.ts";
import type { Platform } from "../../runtime/platform/index.ts";
import { LabError } from "../errors.ts";

// A node's link ends survive its container stopping: before the container (and so its network
// namespace) goes away, they move to a parking namespace of their own, as Containerlab's
// ParkEndpoints does; on start they move back. The peers' ends never notice more than a carrier
// loss. Moving an interface keeps its name, MAC, MTU, alias and altnames but drops its addresses,
// its routes and its up state, so those are recorded here and put back.

export const PARK_DIR = "/run/lab/parked";

export interface ParkedInterface {
  name: string;
  up: boolean;
  /** Addresses with their prefix length (link-local and SLAAC ones are the kernel's to re-make). */
  addresses: string[];
}

export interface ParkedNode {
  lab: string;
  node: string;
  container: string;
  /** The parking namespace. */
  netns: string;
  interfaces: ParkedInterface[];
  /** `ip route` arguments for the node's own routes over those interfaces. */
  routes: string[];
}

/** The parking namespace of a container. */
export const parkNetns = (container: string) => `lab-park-${container}`;
const stateFile = (container: string) => `${PARK_DIR}/${container}.json`;

interface IpLink {
  ifname: string;
  link_type?: string;
  flags?: string[];
  addr_info?: { family: string; local: string; prefixlen: number; scope: string; dynamic?: boolean }[];
}
interface IpRoute {
  dst: string;
  gateway?: string;
  dev?: string;
  protocol?: string;
  metric?: number;
  type?: string;
}

function routeArgs(r: IpRoute): string {
  return `${r.type && r.type !== "unicast" ? `${r.type} ` : ""}${r.dst}${r.gateway ? ` via ${r.gateway}` : ""}${r.dev ? ` dev ${r.dev}` : ""}${r.metric ? ` metric ${r.metric}` : ""}`;
}

/**
 * Moves every interface of the container's namespace but loopback and `keep` (the management
 * interface) to its parking namespace, recording what the move drops. `netns` names the
 * container's namespace (lab's /run/netns link). Returns undefined when there was nothing to park.
 */
export async function parkInterfaces(
  platform: Platform,
  target: { lab: string; node: string; container: string; netns: string; keep: string[] },
): Promise<ParkedNode | undefined> {
  const [links, routes4] = (await ipJson(
    platform,
    [
      ["addr", "show"],
      ["route", "show", "table", "main"],
    ],
    {
      netns: target.netns,
    },
  )) as [IpLink[], IpRoute[]];
  const moving = links.filter((l) => l.link_type !== "loopback" && !target.keep.includes(l.ifname));
  if (!moving.length) return undefined;
  const names = new Set(moving.map((l) => l.ifname));
  const interfaces: ParkedInterface[] = moving.map((l) => ({
    name: l.ifname,
    up: !!l.flags?.includes("UP"),
    addresses: (l.addr_info ?? [])
      .filter((a) => a.scope === "global" && !a.dynamic)
      .map((a) => `${a.local}/${a.prefixlen}`),
  }));
  const ownRoute = (r: IpRoute) => !!r.dev && names.has(r.dev) && r.protocol !== "kernel" && r.protocol !== "ra";
  const routes = routes4.filter(ownRoute).map(routeArgs);
  if (interfaces.some((i) => i.addresses.some((a) => a.includes(":")))) {
    const [routes6] = (await ipJson(platform, [["route", "show", "table", "main"]], {
      netns: target.netns,
      flags: ["-6"],
    })) as [IpRoute[]];
    routes.push(...routes6.filter((r) => ownRoute(r) && !r.dst.startsWith("fe80")).map(routeArgs));
  }
  const state: ParkedNode = {
    lab: target.lab,
    node: target.node,
    container: target.container,
    netns: parkNetns(target.container),
    interfaces,
    routes,
  };
  await netnsAdd(platform, state.netns);
  await platform.mkdirp(PARK_DIR, 0o700);
  await platform.writeText(stateFile(target.container), JSON.stringify(state));
  const what = `the links of ${target.node}`;
  await ipBatch(
    platform,
    // Down first, as a port of a node that shuts down goes (lab events shows it), then moved.
    [
      ...interfaces.filter((i) => i.up).map((i) => ({ argv: ["link", "set", "dev", i.name, "down"], what })),
      ...interfaces.map((i) => ({ argv: ["link", "set", "dev", i.name, "netns", state.netns], what })),
    ],
    target.netns,
    false,
    "park",
  ).catch(async (error) => {
    await restoreInterfaces(platform, target.container, target.netns, { force: true }).catch(() => {});
    throw error;
  });
  return state;
}

export async function parkedState(platform: Platform, container: string): Promise<ParkedNode | undefined> {
  try {
    return JSON.parse(await platform.readText(stateFile(container))) as ParkedNode;
  } catch {
    return undefined;
  }
}

/**
 * Moves a container's parked interfaces into its namespace (`netns`, which must point at the
 * running container) and puts back their state, addresses and routes. Nothing parked: undefined.
 */
export async function restoreInterfaces(
  platform: Platform,
  container: string,
  netns: string,
  options: { force?: boolean } = {},
): Promise<ParkedNode | undefined> {
  const recorded = await parkedState(platform, container);
  if (!recorded) return undefined;
  // A parked end whose peer was deleted meanwhile (its node removed by an apply) is gone with it.
  const listed = (await ipJson(platform, [["link", "show"]], { netns: recorded.netns }).catch(() => undefined)) as
    | [IpLink[]]
    | undefined;
  if (!listed) {
    // The parking namespace itself is gone (a reboot): nothing to move back; lab start re-makes
    // the missing links from the lab's state.
    await platform.remove(stateFile(container));
    return undefined;
  }
  const there = new Set(listed[0].map((l) => l.ifname));
  const state = { ...recorded, interfaces: recorded.interfaces.filter((i) => there.has(i.name)) };
  const gone = recorded.interfaces.filter((i) => !there.has(i.name)).map((i) => i.name);
  state.routes = recorded.routes.filter((r) => !gone.some((g) => new RegExp(` dev ${g}(\\s|$)`).test(r)));
  const what = `the links of ${state.node}`;
  const pid = await pidOfNetnsLink(platform, netns);
  const dest = pid ? String(pid) : netns;
  // The parking namespace is deleted by the same batch, once it is empty.
  await ipBatch(
    platform,
    [
      ...state.interfaces.map((i) => ({ argv: ["link", "set", "dev", i.name, "netns", dest], what })),
      { argv: ["netns", "del", state.netns], what },
    ],
    state.netns,
    options.force,
    "restore",
  );
  const lines = [
    ...state.interfaces.flatMap((i) => [
      ...(i.up ? [{ argv: ["link", "set", "dev", i.name, "up"], what }] : []),
      ...i.addresses.map((a) => ({ argv: ["addr", "add", a, "dev", i.name], what })),
    ]),
    // A route as recorded from the kernel's own listing: its words never hold blanks.
    ...state.routes.map((r) => ({ argv: ["route", "replace", ...r.split(" ")], what })),
  ];
  if (lines.length) await ipBatch(platform, lines, netns, options.force, "restore");
  await platform.remove(stateFile(container));
  return state;
}

/** Every parked record of a lab, including those of nodes whose container is gone (an apply that stopped). */
export async function parkedOfLab(platform: Platform, lab: string): Promise<ParkedNode[]> {
  const files = await platform.list(PARK_DIR);
  const records = await Promise.all(
    files.filter((f) => f.endsWith(".json")).map((f) => parkedState(platform, f.slice(0, -5))),
  );
  return records.filter((r): r is ParkedNode => r?.lab === lab);
}

/** Removes a container's parking namespace and record, parked interfaces and all (lab down). */
export async function dropParked(platform: Platform, container: string): Promise<void> {
  await netnsDel(platform, parkNetns(container));
  await platform.remove(stateFile(container));
}

/** Points the container's /run/netns name at its running process again. */
export async function relinkNetns(platform: Platform, pid: number, container: string): Promise<void> {
  if (!pid) throw new LabError("engine", `container ${container} has no process`);
  await linkNetns(platform, pid, container);
}

export { NETNS_DIR };
