import { createHash } from "node:crypto";
import { LOCAL } from "../hosts/definitions.ts";
import { type HostPlacement, pairKey, type UnderlaySide, vniFor, vxlanOverhead } from "../hosts/placement.ts";
import {
  DEFAULT_MTU,
  type Endpoint,
  type LabModel,
  type LinkModel,
  type NodeModel,
  type VxlanTunnel,
} from "../topology/model.ts";
import { IFNAME_MAX, isKernelIfname, sanitizedIfname } from "../topology/names.ts";
import { hostField, labIndex, macFor, netnsContainer } from "./plan-common.ts";

// The links of a deploy plan: each link end placed (in a container, the host, a bridge), named as
// Containerlab names host-side devices, with its MAC, alias and addresses; links between nodes on
// two hosts become a VXLAN tunnel on each side.

/** What is set on a link end once it exists, where it lives: names, an alias, addresses. */
export interface EndSetup {
  /** Extra names (`ip link show <altname>` works): the full name when `iface` had to be shortened, the NOS name. */
  altnames?: string[];
  /** The ifalias: the NOS name an interface was written as (ethernet-1/1). */
  alias?: string;
  /** Addresses lab puts on the interface (plain Linux nodes and the host). */
  addresses?: string[];
}

/** A link end placed somewhere: inside a container, in the host namespace, or on a host bridge. */
export type Placement = EndSetup &
  (
    | {
        where: "container";
        node: string;
        container: string;
        iface: string;
        mac: string;
        /** A bridge in the node's namespace the end joins (a bridge node `br|node`). */
        master?: string;
      }
    | {
        where: "host";
        iface: string;
        mac?: string;
        master?: string;
        /** Whose host namespace, in a lab over several hosts (absent: this machine). */
        host?: string;
      }
  );

export interface LinkStep {
  type: LinkModel["type"];
  /** The host whose namespaces it is made in; absent: this machine. */
  host?: string;
  a: Placement;
  /** Absent for single-ended links (dummy, macvlan). */
  b?: Placement;
  mtu: number;
  /** macvlan: the parent interface and mode. */
  parent?: string;
  mode?: string;
  /** For messages: `a:eth1 ↔ b:eth1`. */
  label: string;
  /** vxlan: the tunnel device, in a's namespace (vxlan) or on the host (vxlan-stitch). */
  vxlan?: VxlanSpec;
  /**
   * Host interfaces joined by tc redirects both ways: vxlan-stitch's veth end and tunnel, or the host
   * ends of veth-stitch's two segments (a ↔ stitch[0], b ↔ stitch[1]).
   */
  stitch?: [string, string];
}

export interface VxlanSpec extends VxlanTunnel {
  /** Device name: the node's interface (vxlan) or a host interface (vxlan-stitch). */
  name: string;
  /** ifalias of host-side devices, so that lab down finds them without the topology. */
  owner?: string;
}

/**
 * The ifalias lab gives host-side devices that outlive the lab's containers: `lab:<lab>:<node>`, so
 * that removing a lab, or some of its nodes, finds them.
 */
export const labOwner = (lab: string, node: string) => `lab:${lab}:${node}`;
export const ownedBy = (lab: string, nodes?: ReadonlySet<string>) => (alias: string) =>
  alias.startsWith(`lab:${lab}:`) && (!nodes || nodes.has(alias.slice(`lab:${lab}:`.length)));

const shortHash = (lab: string, ep: Endpoint, length: number) =>
  createHash("sha1").update(`${lab}\0${ep.node}\0${ep.iface}`).digest("hex").slice(0, length);

/** Containerlab's host-side names (`ve-<node>_<iface>`), or a hash of them when too long for Linux. */
function hostName(prefix: string, lab: string, ep: Endpoint): string {
  const name = `${prefix}-${ep.node}_${ep.iface}`;
  return name.length <= IFNAME_MAX && /^[\w.-]+$/.test(name) ? name : `${prefix}-${shortHash(lab, ep, 12)}`;
}

/** A veth-stitch segment's host end, named as Containerlab names it. */
const stitchEnd = (lab: string, ep: Endpoint) => `clab-s-${shortHash(lab, ep, 8)}`;

/**
 * Linux limits interface names to 15 characters without "/" or spaces. Another name gets a short
 * stable name and keeps the name written as an altname ("/" and " " as "-"), so `ip link show <name>`
 * works, as Containerlab's SetNameMACAndUpInterface does.
 */
export function deviceName(lab: string, node: string, iface: string): { name: string; altnames?: string[] } {
  if (isKernelIfname(iface)) return { name: iface };
  return {
    name: `clab-${createHash("sha1").update(`${lab}\0${node}\0${iface}`).digest("hex").slice(0, 8)}`,
    altnames: [sanitizedIfname(iface)],
  };
}

/**
 * Containerlab's ownership marker on every link end it creates (links/link.go ownershipAltNameFor):
 * `clab-o-` and 16 hex digits of sha1(node \0 interface). lab sets the same one, so both tools (and
 * lab's own apply) can tell the interfaces a lab made from ones made inside the node.
 */
export function ownershipAltName(node: string, iface: string): string {
  return `clab-o-${createHash("sha1").update(`${node}\0${iface}`).digest("hex").slice(0, 16)}`;
}

/** The addresses lab puts on an end itself: only where no NOS config will (plain Linux, the host). */
function addressesFor(ep: { ipv4?: string; ipv6?: string }, applies: boolean): string[] | undefined {
  const list = [ep.ipv4, ep.ipv6].filter((a): a is string => !!a);
  return applies && list.length ? list : undefined;
}

/** A bridge node's bridge: its name before "|" (Containerlab's nameWithoutSeparatorSuffix). */
export const bridgeName = (node: NodeModel) => node.name.split("|")[0] as string;

/**
 * The node whose namespace holds a bridge node's bridge, when it is not the host's: Containerlab's
 * bridge kind with network-mode container:<node> makes the bridge there at deploy.
 */
export function nsBridgeHost(node: NodeModel, lab: LabModel): NodeModel | undefined {
  if (node.kind.role !== "bridge" || !node.networkMode?.startsWith("container:")) return undefined;
  return labIndex(lab).byName.get(node.networkMode.slice("container:".length));
}

/** The bridges a node's namespace holds for bridge nodes, to be made once it runs. */
export const bridgesHostedBy = (node: NodeModel, lab: LabModel) =>
  lab.nodes.filter((b) => nsBridgeHost(b, lab)?.name === node.name).map(bridgeName);

function endPlacement(ep: Endpoint, lab: LabModel): Placement {
  const node = labIndex(lab).byName.get(ep.node) as NodeModel;
  const mac = ep.mac ?? macFor(lab.name, ep.node, ep.iface);
  const dev = deviceName(lab.name, ep.node, ep.iface);
  const setup: EndSetup = {};
  const altnames = [
    ...(dev.altnames ?? []),
    ...(ep.alias ? [sanitizedIfname(ep.alias)] : []),
    ownershipAltName(ep.node, ep.iface),
  ];
  if (altnames.length) setup.altnames = altnames;
  if (ep.alias) setup.alias = ep.alias;
  if (node.kind.role === "host") {
    const addresses = addressesFor(ep, true);
    return { where: "host", iface: dev.name, mac: ep.mac, ...setup, ...(addresses ? { addresses } : {}) };
  }
  // A bridge node's side stays on the host under the name written (as Containerlab's: `ip link
  // show e2` finds the bridge port) and joins the bridge; a bridge in a node's namespace
  // (`br01|bp1` with network-mode container:bp1) has its ports there.
  const inNode = nsBridgeHost(node, lab);
  if (inNode)
    return {
      where: "container",
      node: inNode.name,
      container: netnsContainer(inNode),
      iface: dev.name,
      mac,
      master: bridgeName(node),
      ...setup,
    };
  if (node.kind.role === "bridge") return { where: "host", iface: dev.name, master: node.name, ...setup };
  const container = node.kind.role === "external" ? node.name : netnsContainer(node);
  const addresses = addressesFor(ep, !!node.kind.linuxAddresses || node.kind.role === "external");
  return {
    where: "container",
    node: node.name,
    container,
    iface: dev.name,
    mac,
    ...setup,
    ...(addresses ? { addresses } : {}),
  };
}

/** A bridge port is marked as its node's (the other end), as host-link ends are. */
function bridgePort(p: Placement, other: Endpoint, lab: LabModel): Placement {
  return p.where === "host" && p.master ? { ...p, alias: labOwner(lab.name, other.node) } : p;
}

/** The host side of a host or mgmt-net link, with the addresses a brief link gave it. */
function hostEnd(
  l: { hostInterface: string; hostAddresses?: { ipv4?: string; ipv6?: string }; endpoint: Endpoint },
  lab: LabModel,
  master?: string,
): Placement {
  const dev = deviceName(lab.name, "host", l.hostInterface);
  const addresses = l.hostAddresses ? addressesFor(l.hostAddresses, true) : undefined;
  return {
    where: "host",
    iface: dev.name,
    altnames: [...(dev.altnames ?? []), ownershipAltName("host", l.hostInterface)],
    // Whose end it is: lab tools vxlan create --link marks its tunnel the same, for lab down.
    alias: labOwner(lab.name, l.endpoint.node),
    ...(master ? { master } : {}),
    ...(addresses ? { addresses } : {}),
  };
}

/**
 * A link between nodes on two hosts: on each host a VXLAN tunnel to the other, under the name the
 * node's interface was written as (vxlan-stitch on both sides for a veth-stitch link, so the host
 * ends stay there for capture and netem). MTU: the underlay's less the tunnel's headroom, or the
 * link's own when it fits.
 */
function crossHostSteps(
  l: Extract<LinkModel, { type: "veth" | "veth-stitch" }>,
  lab: LabModel,
  placement: HostPlacement,
  vnis: Set<number>,
  warnings: string[],
): LinkStep[] {
  const [ha, hb] = [l.a, l.b].map((e) => placement.nodeHost.get(e.node) ?? LOCAL) as [string, string];
  const pair = placement.pairs.get(pairKey(ha, hb));
  if (!pair) throw new Error(`no underlay between ${ha} and ${hb}`);
  const ends = `${l.a.node}:${l.a.iface} ↔ ${l.b.node}:${l.b.iface}`;
  const vni = vniFor(ends, vnis);
  const fits = pair.mtu - vxlanOverhead(pair.ipv6);
  if (l.mtuDeclared && l.mtu > fits)
    warnings.push(
      `link ${ends}: mtu ${l.mtu} does not fit the tunnel between ${ha} and ${hb} (underlay ${pair.mtu} − ${vxlanOverhead(pair.ipv6)}): using ${fits}`,
    );
  const mtu = l.mtuDeclared ? Math.min(l.mtu, fits) : fits;
  const side = (ep: Endpoint, other: Endpoint, here: string, there: string): LinkStep => {
    const tunnel = {
      remote: (pair.sides[there] as UnderlaySide).address,
      vni,
      dstPort: placement.vxlanPort,
      parent: (pair.sides[here] as UnderlaySide).dev,
      mtu,
    };
    const a = bridgePort(endPlacement(ep, lab), other, lab);
    const label = `${ends} (vxlan ${vni}, ${here} → ${there})`;
    const host = here === LOCAL ? {} : { host: here };
    if (l.type === "veth") return { type: "vxlan", ...host, a, mtu, vxlan: { name: a.iface, ...tunnel }, label };
    const veth = stitchEnd(lab.name, ep);
    const vx = hostName("vx", lab.name, ep);
    return {
      type: "vxlan-stitch",
      ...host,
      a,
      b: { where: "host", iface: veth },
      mtu,
      vxlan: { name: vx, ...tunnel, owner: labOwner(lab.name, ep.node) },
      stitch: [veth, vx],
      label,
    };
  };
  return [side(l.a, l.b, ha, hb), side(l.b, l.a, hb, ha)].map((s) => onHost(s, s.host));
}

/** A step made on another host: it says so, and so do its host-side ends (for apply and lab down). */
function onHost(step: LinkStep, host: string | undefined): LinkStep {
  if (!host) return step;
  const tag = (p: Placement | undefined) => (p?.where === "host" ? { ...p, host } : p);
  return { ...step, host, a: tag(step.a) as Placement, ...(step.b ? { b: tag(step.b) } : {}) };
}

export function linkSteps(lab: LabModel, placement?: HostPlacement, warnings: string[] = []): LinkStep[] {
  const vnis = new Set<number>();
  return lab.links.flatMap((l): LinkStep | LinkStep[] => {
    if (placement && (l.type === "veth" || l.type === "veth-stitch")) {
      const [ha, hb] = [l.a, l.b].map((e) => placement.nodeHost.get(e.node) ?? LOCAL);
      if (ha !== hb) return crossHostSteps(l, lab, placement, vnis, warnings);
    }
    const host = hostField(placement, "a" in l ? l.a.node : l.endpoint.node);
    return onHost(oneHostStep(l, lab), host.host);
  });
}

function oneHostStep(l: LinkModel, lab: LabModel): LinkStep {
  switch (l.type) {
    case "veth":
      return {
        type: "veth",
        a: bridgePort(endPlacement(l.a, lab), l.b, lab),
        b: bridgePort(endPlacement(l.b, lab), l.a, lab),
        mtu: l.mtu,
        label: `${l.a.node}:${l.a.iface} ↔ ${l.b.node}:${l.b.iface}`,
      };
    case "host":
      return {
        type: "host",
        a: endPlacement(l.endpoint, lab),
        b: hostEnd(l, lab),
        mtu: l.mtu,
        label: `${l.endpoint.node}:${l.endpoint.iface} ↔ host:${l.hostInterface}`,
      };
    case "mgmt-net":
      return {
        type: "mgmt-net",
        a: endPlacement(l.endpoint, lab),
        // The bridge name is only known once the network exists; the executor fills it in.
        b: hostEnd(l, lab, "@mgmt"),
        mtu: l.mtu,
        label: `${l.endpoint.node}:${l.endpoint.iface} ↔ mgmt-net:${l.hostInterface}`,
      };
    case "macvlan":
      return {
        type: "macvlan",
        a: endPlacement(l.endpoint, lab),
        mtu: l.mtu,
        parent: l.hostInterface,
        mode: l.mode,
        label: `${l.endpoint.node}:${l.endpoint.iface} → macvlan:${l.hostInterface}`,
      };
    case "dummy":
      return {
        type: "dummy",
        a: endPlacement(l.endpoint, lab),
        mtu: l.mtu,
        label: `${l.endpoint.node}:${l.endpoint.iface} (dummy)`,
      };
    case "veth-stitch": {
      const ends: [string, string] = [stitchEnd(lab.name, l.a), stitchEnd(lab.name, l.b)];
      return {
        type: "veth-stitch",
        a: endPlacement(l.a, lab),
        b: endPlacement(l.b, lab),
        mtu: l.mtu,
        stitch: ends,
        label: `${l.a.node}:${l.a.iface} ↔ ${l.b.node}:${l.b.iface} (stitched at ${ends.join(", ")})`,
      };
    }
    case "vxlan":
    case "vxlan-stitch": {
      const a = endPlacement(l.endpoint, lab);
      const tunnel = {
        remote: l.remote,
        vni: l.vni,
        dstPort: l.dstPort,
        srcPort: l.srcPort,
        parent: l.parent,
        mtu: l.mtu,
      };
      const label = `${l.endpoint.node}:${l.endpoint.iface} → vxlan ${l.vni} to ${l.remote}:${l.dstPort}`;
      if (l.type === "vxlan")
        return { type: "vxlan", a, mtu: l.mtu ?? DEFAULT_MTU, vxlan: { name: l.endpoint.iface, ...tunnel }, label };
      const veth = hostName("ve", lab.name, l.endpoint);
      const vx = hostName("vx", lab.name, l.endpoint);
      return {
        type: "vxlan-stitch",
        a,
        b: { where: "host", iface: veth },
        mtu: l.mtu ?? DEFAULT_MTU,
        vxlan: { name: vx, ...tunnel, owner: labOwner(lab.name, l.endpoint.node) },
        stitch: [veth, vx],
        label: `${label} (stitched at ${veth}, ${vx})`,
      };
    }
    default:
      throw new Error(`unhandled link type ${(l as { type: string }).type}`);
  }
}
