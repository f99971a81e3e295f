import { createHash } from "node:crypto";
import type { BatchLine } from "../../runtime/net/ip.ts";
import type { LinkStep, Placement, VxlanSpec } from "./plan.ts";

export interface LinkContext {
  /** Container name → PID of its init process. */
  pids: Map<string, number>;
  /** Container name → named netns (for per-namespace batches). */
  netns: Map<string, string>;
  mgmtBridge: string;
  dummy: boolean;
  /** vxlan remote → the host interface its route leaves by (for tunnels without a parent). */
  routes?: Map<string, string>;
}

export interface LinkBatches {
  /** Runs in the host namespace: creates every link straight into its namespaces. */
  root: BatchLine[];
  /** Per named namespace: brings up the ends that could not be brought up at creation. */
  perNetns: Map<string, BatchLine[]>;
  /** `tc -batch`, after the links exist: the stitches. */
  tc: BatchLine[];
}

// Every command is built as argv words; runtime/net/ip.ts quotes them for the batch reader.

function where(p: Placement, ctx: LinkContext): string[] {
  if (p.where === "host") return [];
  const pid = ctx.pids.get(p.container);
  if (pid === undefined) throw new Error(`no pid for ${p.container}`);
  return ["netns", String(pid)];
}

const mac = (p: Placement) => (p.mac ? ["address", p.mac] : []);

/** What makes an end complete once it exists, run in its own namespace: altnames, alias, addresses. */
export function setupLines(p: Placement, what: string): BatchLine[] {
  const dev = p.iface;
  return [
    ...(p.altnames ?? []).map((n) => ({ argv: ["link", "property", "add", "dev", dev, "altname", n], what })),
    ...(p.alias ? [{ argv: ["link", "set", "dev", dev, "alias", p.alias], what }] : []),
    // IPv6 without duplicate address detection: a lab's link addresses are its own, and a tentative
    // address right after lab up makes `ping -6` fail until DAD ends.
    ...(p.addresses ?? []).map((a) => ({
      argv: ["addr", "add", a, "dev", dev, ...(a.includes(":") ? ["nodad"] : [])],
      what,
    })),
  ];
}

/** A veth pair created with both ends in place: `x` up at once, `y` (in its netns or on the host) as it is. */
export function vethLine(x: Placement, y: Placement, mtu: number, ctx: LinkContext): string[] {
  return [
    ...["link", "add", "name", x.iface, ...where(x, ctx), "mtu", String(mtu), ...mac(x), "up"],
    ...["type", "veth", "peer", "name", y.iface, ...where(y, ctx), "mtu", String(mtu), ...mac(y)],
  ];
}

function vxlanType(v: VxlanSpec, ctx: LinkContext): string[] {
  const parent = v.parent ?? ctx.routes?.get(v.remote);
  if (!parent) throw new Error(`no parent interface for vxlan remote ${v.remote}`);
  // The kernel's source-port range is [low, high): one port is [p, p+1).
  const src = v.srcPort ? ["srcport", String(v.srcPort), String(v.srcPort + 1)] : [];
  return [
    "type",
    "vxlan",
    "id",
    String(v.vni),
    "remote",
    v.remote,
    "dstport",
    String(v.dstPort),
    "dev",
    parent,
    ...src,
  ];
}

/** Joins two host interfaces: whatever enters one leaves by the other (u32 match-all: in every kernel). */
export function stitchLines([x, y]: [string, string], what: string): BatchLine[] {
  return [x, y].flatMap((dev, i) => [
    { argv: ["qdisc", "add", "dev", dev, "handle", "ffff:", "ingress"], what },
    {
      argv: [
        ...["filter", "add", "dev", dev, "parent", "ffff:", "protocol", "all", "u32", "match", "u32", "0", "0"],
        ...["action", "mirred", "egress", "redirect", "dev", i ? x : y],
      ],
      what,
    },
  ]);
}

/**
 * Builds the iproute2 batches for all links. A veth's first end is brought up in the create command
 * itself (the kernel allows that once its peer exists); the peer end is brought up afterwards in its
 * own namespace, or in the root batch when it lives on the host.
 */
export function linkBatches(steps: LinkStep[], ctx: LinkContext): LinkBatches {
  const root: BatchLine[] = [];
  const perNetns = new Map<string, BatchLine[]>();
  const after: BatchLine[] = [];
  const tc: BatchLine[] = [];
  /** Lines that run where the end lives: the host batch (after creation), or the node's namespace. */
  const inPlace = (p: Placement, lines: BatchLine[]) => {
    if (!lines.length) return;
    if (p.where === "host") {
      after.push(...lines);
      return;
    }
    const ns = ctx.netns.get(p.container) as string;
    const list = perNetns.get(ns) ?? [];
    list.push(...lines);
    perNetns.set(ns, list);
  };
  const upLater = (p: Placement, what: string) => {
    const master = p.master === "@mgmt" ? ctx.mgmtBridge : p.master;
    inPlace(p, [
      ...(master ? [{ argv: ["link", "set", "dev", p.iface, "master", master], what }] : []),
      { argv: ["link", "set", "dev", p.iface, "up"], what },
      ...setupLines(p, what),
    ]);
  };
  /** An end brought up at creation still needs its names and addresses. */
  const setUp = (p: Placement, what: string) => inPlace(p, setupLines(p, what));

  for (const s of steps) {
    const what = `link ${s.label}`;
    const a = s.a;
    const first = ["link", "add", "name", a.iface, ...where(a, ctx), "mtu", String(s.mtu), ...mac(a)];
    switch (s.type) {
      case "veth":
      case "host":
      case "mgmt-net": {
        // Put a container end first where there is one, so that the host end is set up in the root batch.
        const [x, y] = (s.b?.where === "container" && a.where !== "container" ? [s.b, a] : [a, s.b]) as [
          Placement,
          Placement,
        ];
        root.push({ argv: vethLine(x, y, s.mtu, ctx), what });
        setUp(x, what);
        upLater(y, what);
        break;
      }
      case "dummy": {
        if (ctx.dummy) {
          root.push({ argv: [...first, "up", "type", "dummy"], what });
        } else {
          // No dummy driver in this kernel: a veth whose peer stays down, hidden in the same namespace.
          const peer = `ld${createHash("sha1")
            .update(`${a.where === "container" ? a.container : ""}/${a.iface}`)
            .digest("hex")
            .slice(0, 10)}`;
          root.push({ argv: [...first, "up", "type", "veth", "peer", "name", peer, ...where(a, ctx)], what });
        }
        setUp(a, what);
        break;
      }
      case "macvlan":
        // No mtu: a macvlan takes its parent's, as Containerlab sets it (and a larger one is refused).
        root.push({
          argv: [
            ...["link", "add", "link", s.parent as string, "name", a.iface, ...where(a, ctx), ...mac(a), "up"],
            ...["type", "macvlan", "mode", s.mode ?? "bridge"],
          ],
          what,
        });
        setUp(a, what);
        break;
      case "vxlan": {
        const v = s.vxlan as VxlanSpec;
        // Created straight into the node: the tunnel's socket stays in the host namespace.
        root.push({
          argv: [
            ...["link", "add", "name", a.iface, ...where(a, ctx), ...(v.mtu ? ["mtu", String(v.mtu)] : []), ...mac(a)],
            ...["up", ...vxlanType(v, ctx)],
          ],
          what,
        });
        // A bridge node's side of a link between hosts: the tunnel is its bridge port.
        if (a.where === "host" && a.master)
          inPlace(a, [{ argv: ["link", "set", "dev", a.iface, "master", a.master], what }]);
        setUp(a, what);
        break;
      }
      case "vxlan-stitch": {
        const v = s.vxlan as VxlanSpec;
        const b = s.b as Placement;
        root.push({
          argv: ["link", "add", "name", v.name, ...(v.mtu ? ["mtu", String(v.mtu)] : []), "up", ...vxlanType(v, ctx)],
          what,
        });
        if (v.owner) root.push({ argv: ["link", "set", "dev", v.name, "alias", v.owner], what });
        root.push({ argv: vethLine(a, b, s.mtu, ctx), what });
        setUp(a, what);
        upLater(b, what);
        tc.push(...stitchLines(s.stitch as [string, string], what));
        break;
      }
      case "veth-stitch": {
        const [hostA, hostB] = s.stitch as [string, string];
        for (const [p, host] of [
          [a, hostA],
          [s.b as Placement, hostB],
        ] as const) {
          root.push({ argv: vethLine(p, { where: "host", iface: host }, s.mtu, ctx), what });
          setUp(p, what);
          upLater({ where: "host", iface: host }, what);
        }
        tc.push(...stitchLines([hostA, hostB], what));
        break;
      }
    }
  }
  return { root: [...root, ...after], perNetns, tc };
}
