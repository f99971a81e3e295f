import { createHash } from "node:crypto";
import type { ContainerCreateSpec, NetworkCreateSpec, PortBinding } from "../../runtime/docker/types.ts";
import { LOCAL } from "../hosts/definitions.ts";
import { type HostPlacement, pairKey, type UnderlaySide, vniFor, vxlanOverhead } from "../hosts/placement.ts";
import { dependencies, topoOrder } from "../topology/graph.ts";
import { type Cidr, cidrContains, cidrSlice, parseCidr, parseIP } from "../topology/ip.ts";
import {
  type CertificateSettings,
  DEFAULT_MTU,
  type Endpoint,
  type LabModel,
  type LinkModel,
  type NodeFile,
  type NodeModel,
  type PullPolicy,
  type StartupConfig,
  type VxlanTunnel,
} from "../topology/model.ts";
import { IFNAME_MAX, isKernelIfname, sanitizedIfname } from "../topology/names.ts";

export interface ContainerStep {
  node: string;
  /** The host it runs on (lab.host); absent: this machine. */
  host?: string;
  name: string;
  kind: string;
  image: string;
  spec: ContainerCreateSpec;
  dependsOn: string[];
  startupDelay: number;
  exec: string[];
  /** Needs /dev/kvm (VM-based kinds). */
  vm: boolean;
  startupConfig?: StartupConfig;
  /** What its certificate is issued with (a change re-creates the node on apply). */
  certificate?: CertificateSettings;
  files: NodeFile[];
  /**
   * A distributed chassis: its other containers, created in this order before the node's own. The
   * first holds the network namespace the rest (and the node's own container) join.
   */
  components?: { name: string; spec: ContainerCreateSpec }[];
}

export interface ImageStep {
  image: string;
  policy: PullPolicy;
  nodes: string[];
}

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

export interface DeployPlan {
  lab: { name: string; file: string; labDir: string };
  network: {
    name: string;
    spec: NetworkCreateSpec;
    usesMgmt: boolean;
    /**
     * A lab over several hosts: the network each host creates, the same subnet with its own slice
     * of addresses for the engine to hand out (and the others' static ones reserved).
     */
    hosts?: Record<string, NetworkCreateSpec>;
  };
  /** A lab over several hosts: its hosts ("local" first) and the UDP port of its tunnels. */
  hosts?: { names: string[]; vxlanPort: number };
  images: ImageStep[];
  containers: ContainerStep[];
  /** Dependency waves: every node in a wave depends only on nodes of earlier waves. */
  waves: string[][];
  links: LinkStep[];
  external: string[];
  /**
   * Every command the topology runs on the host itself (stage exec with `target: host`, as
   * Containerlab runs them): the user's own commands, listed in one place for a reviewer.
   */
  hostCommands: { node: string; stage: string; phase: string; command: string }[];
  notes: string[];
  /** Things that work differently than written (a link MTU a tunnel cannot carry). */
  warnings?: string[];
  /** Only some nodes (--node-filter): the rest of the lab may be running. */
  partial?: boolean;
}

const CLAB_OUI = "aa:c1:ab";

/** A stable, locally administered MAC for a link end (Containerlab's OUI), so redeploys keep it. */
export function macFor(lab: string, node: string, iface: string): string {
  const h = createHash("sha1").update(`${lab}\0${node}\0${iface}`).digest();
  const b = [...h.subarray(0, 3)].map((x) => x.toString(16).padStart(2, "0"));
  return `${CLAB_OUI}:${b.join(":")}`;
}

export function networkSpec(lab: LabModel): NetworkCreateSpec {
  const m = lab.mgmt;
  const config = [
    m.ipv4Subnet && m.ipv4Subnet !== "auto"
      ? { Subnet: m.ipv4Subnet, Gateway: m.ipv4Gw, IPRange: m.ipv4Range }
      : undefined,
    m.ipv6Subnet && m.ipv6Subnet !== "auto"
      ? { Subnet: m.ipv6Subnet, Gateway: m.ipv6Gw, IPRange: m.ipv6Range }
      : undefined,
  ].filter((c) => c !== undefined);
  const options: Record<string, string> = {};
  if (m.mtu) options["com.docker.network.driver.mtu"] = String(m.mtu);
  if (m.bridge) options["com.docker.network.bridge.name"] = m.bridge;
  Object.assign(options, m.driverOpts);
  return {
    Name: m.network,
    Driver: "bridge",
    EnableIPv6: !!m.ipv6Subnet,
    IPAM: { Driver: "default", Config: config.map((c) => JSON.parse(JSON.stringify(c))) },
    Options: options,
    Labels: { containerlab: "" },
  };
}

/** Nodes by name and the static-address nodes, computed once per lab (plans of 1,000 nodes look them up a lot). */
const indexes = new WeakMap<LabModel, { byName: Map<string, NodeModel>; statics: NodeModel[] }>();
function labIndex(lab: LabModel) {
  let index = indexes.get(lab);
  if (!index) {
    index = {
      byName: new Map(lab.nodes.map((n) => [n.name, n])),
      statics: lab.nodes.filter((n) => n.mgmtIpv4 || n.mgmtIpv6),
    };
    indexes.set(lab, index);
  }
  return index;
}

function networkModeOf(node: NodeModel, lab: LabModel): string {
  const mode = node.networkMode;
  if (!mode) return lab.mgmt.network;
  if (mode.startsWith("container:")) {
    const target = mode.slice("container:".length);
    const peer = labIndex(lab).byName.get(target);
    return `container:${peer ? peer.longName : target}`;
  }
  return mode;
}

/** The container whose network namespace holds the node's links: a distributed chassis's first. */
export const netnsContainer = (node: NodeModel) => node.components?.[0]?.longName ?? node.longName;

/**
 * A distributed chassis's containers as specs: the first owns the namespace with the node's
 * management settings; every later one (the node's own included, last) joins it, as Containerlab's
 * component nodes do with network-mode container:<first>, without DNS or port bindings.
 */
function componentSpecs(
  node: NodeModel,
  lab: LabModel,
  interfaces: string[],
): { name: string; spec: ContainerCreateSpec }[] {
  const list = node.components ?? [];
  const owner = list[0]?.longName as string;
  return list.map((c, i) => {
    const joined: Partial<NodeModel> =
      i === 0
        ? {}
        : {
            networkMode: `container:${owner}`,
            ports: [],
            dns: undefined,
            mgmtIpv4: undefined,
            mgmtIpv6: undefined,
            mgmtMac: undefined,
            aliases: [],
          };
    const variant = { ...node, longName: c.longName, env: c.env, labels: c.labels, binds: c.binds, ...joined };
    return { name: c.longName, spec: containerSpec(variant, lab, interfaces) };
  });
}

function devices(list: string[]) {
  return list.map((d) => {
    const [host, container, perms] = d.split(":");
    return {
      PathOnHost: host as string,
      PathInContainer: container ?? (host as string),
      CgroupPermissions: perms ?? "rwm",
    };
  });
}

export function containerSpec(node: NodeModel, lab: LabModel, interfaces: string[]): ContainerCreateSpec {
  const mode = networkModeOf(node, lab);
  const onMgmt = mode === lab.mgmt.network;
  // Docker refuses net.* sysctls when the network namespace is not the container's own.
  const sysctls = Object.fromEntries(
    Object.entries(node.sysctls).filter(([k]) => onMgmt || mode === "none" || !k.startsWith("net.")),
  );
  const exposed: Record<string, Record<string, never>> = {};
  const bindings: Record<string, PortBinding[]> = {};
  for (const p of node.ports) {
    const key = `${p.containerPort}/${p.protocol}`;
    exposed[key] = {};
    bindings[key] ??= [];
    bindings[key].push({ HostIp: p.hostIp, HostPort: p.hostPort });
  }
  const extraHosts = onMgmt
    ? labIndex(lab)
        .statics.filter((n) => n.name !== node.name)
        .flatMap((n) => [n.mgmtIpv4, n.mgmtIpv6].filter(Boolean).map((ip) => `${n.name}:${ip}`))
    : [];
  const env = { ...node.kind.interfaceEnv?.(interfaces), ...node.env, CLAB_INTFS: String(interfaces.length) };
  const spec: ContainerCreateSpec = {
    Hostname: mode === "host" || mode.startsWith("container:") ? undefined : (node.hostname ?? node.name),
    Image: node.image as string,
    Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    Cmd: node.cmd,
    Entrypoint: node.entrypoint,
    User: node.user,
    Labels: node.labels,
    Tty: true,
    OpenStdin: true,
    ExposedPorts: Object.keys(exposed).length ? exposed : undefined,
    StopSignal: node.stopSignal,
    MacAddress: onMgmt ? node.mgmtMac : undefined,
    Healthcheck: node.healthcheck && {
      Test: node.healthcheck.test,
      Interval: node.healthcheck.interval,
      Timeout: node.healthcheck.timeout,
      Retries: node.healthcheck.retries,
      StartPeriod: node.healthcheck.startPeriod,
    },
    HostConfig: {
      // Named volumes (`volumes:`) go the same way as binds: Docker tells them apart by the source.
      Binds: node.binds.length || node.volumes.length ? [...node.binds, ...node.volumes] : undefined,
      NetworkMode: mode,
      PortBindings: Object.keys(bindings).length ? bindings : undefined,
      RestartPolicy: node.restartPolicy ? { Name: node.restartPolicy } : undefined,
      Privileged: node.privileged,
      CapAdd: node.capAdd.length ? node.capAdd : undefined,
      Devices: node.devices.length ? devices(node.devices) : undefined,
      Sysctls: Object.keys(sysctls).length ? sysctls : undefined,
      Dns: node.dns?.servers,
      DnsSearch: node.dns?.search,
      DnsOptions: node.dns?.options,
      ExtraHosts: extraHosts.length ? extraHosts : undefined,
      Memory: node.memory,
      // As Containerlab's docker runtime sets it: a quota over the default 100 ms period.
      CpuQuota: node.cpu ? Math.round(node.cpu * 100000) : undefined,
      CpuPeriod: node.cpu ? 100000 : undefined,
      CpusetCpus: node.cpuSet,
      ShmSize: node.shmSize,
      Tmpfs: Object.keys(node.tmpfs).length ? node.tmpfs : undefined,
      SecurityOpt: node.securityOpts.length ? node.securityOpts : undefined,
      CgroupParent: node.cgroupParent,
      CgroupnsMode: node.cgroupnsMode,
      PidMode: node.pidMode?.startsWith("container:")
        ? `container:${labIndex(lab).byName.get(node.pidMode.slice(10))?.longName ?? node.pidMode.slice(10)}`
        : node.pidMode,
      AutoRemove: node.autoRemove || undefined,
    },
    NetworkingConfig: onMgmt
      ? {
          EndpointsConfig: {
            [lab.mgmt.network]: {
              IPAMConfig:
                node.mgmtIpv4 || node.mgmtIpv6 ? { IPv4Address: node.mgmtIpv4, IPv6Address: node.mgmtIpv6 } : undefined,
              Aliases: node.aliases.length ? node.aliases : undefined,
              MacAddress: node.mgmtMac,
            },
          },
        }
      : undefined,
  };
  return JSON.parse(JSON.stringify(spec)) as ContainerCreateSpec;
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

/** The host a node runs on, for a step: absent when it is this machine. */
const hostField = (placement: HostPlacement | undefined, node: string) => {
  const host = placement?.nodeHost.get(node);
  return host ? { host } : {};
};

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

/**
 * The network each host of a multi-host lab creates: the lab's subnet everywhere (one management
 * LAN in addressing), each host handing out addresses from its own slice, with the static addresses
 * of nodes elsewhere reserved, so that no two nodes of the lab ever get the same one.
 */
function hostNetworks(
  lab: LabModel,
  base: NetworkCreateSpec,
  placement: HostPlacement,
): Record<string, NetworkCreateSpec> {
  const out: Record<string, NetworkCreateSpec> = {};
  placement.hosts.forEach((host, i) => {
    const spec = structuredClone(base);
    for (const c of spec.IPAM?.Config ?? []) {
      const range = parseCidr(c.IPRange ?? c.Subnet ?? "");
      if (!range) continue;
      c.IPRange = cidrSlice(range, i, placement.hosts.length);
      const subnet = parseCidr(c.Subnet ?? "") as Cidr;
      const aux: Record<string, string> = {};
      for (const n of labIndex(lab).statics) {
        if ((placement.nodeHost.get(n.name) ?? LOCAL) === host) continue;
        for (const a of [n.mgmtIpv4, n.mgmtIpv6]) {
          const ip = a ? parseIP(a) : undefined;
          if (a && ip && cidrContains(subnet, ip)) aux[n.name] = a;
        }
      }
      if (Object.keys(aux).length) c.AuxiliaryAddresses = aux;
    }
    out[host] = spec;
  });
  return out;
}

/** The node's container spec; a distributed chassis's others go before it as components. */
function specsOf(node: NodeModel, lab: LabModel, interfaces: string[]) {
  if (!node.components) return { spec: containerSpec(node, lab, interfaces) };
  const all = componentSpecs(node, lab, interfaces);
  return { spec: (all.at(-1) as { spec: ContainerCreateSpec }).spec, components: all.slice(0, -1) };
}

/**
 * The whole deployment, computed without touching Docker: what --dry-run prints and tests assert.
 * With a placement, the lab spans hosts: steps name their host and links between hosts are tunnels.
 */
export function planDeploy(lab: LabModel, placement?: HostPlacement): DeployPlan {
  const warnings: string[] = [];
  // Nodes all on this machine: the one-host plan, as without a placement.
  const spread = placement && placement.hosts.some((h) => h !== LOCAL) ? placement : undefined;
  const deployable = lab.nodes.filter((n) => n.kind.role === "container");
  const deps = dependencies(deployable);
  const interfaces = new Map<string, string[]>();
  for (const l of lab.links) {
    for (const ep of l.type === "veth" || l.type === "veth-stitch" ? [l.a, l.b] : [l.endpoint])
      interfaces.set(ep.node, [...(interfaces.get(ep.node) ?? []), ep.iface]);
  }
  const images = new Map<string, ImageStep>();
  for (const n of deployable) {
    if (!n.image) continue;
    const key = `${n.image}\0${n.pullPolicy}`;
    const step = images.get(key) ?? { image: n.image, policy: n.pullPolicy, nodes: [] };
    step.nodes.push(n.name);
    images.set(key, step);
  }
  const order = topoOrder(deps);
  const level = new Map<string, number>();
  for (const name of order)
    level.set(name, Math.max(-1, ...[...(deps.get(name) ?? [])].map((d) => level.get(d) ?? 0)) + 1);
  const waves: string[][] = [];
  for (const name of order) {
    const i = level.get(name) as number;
    waves[i] ??= [];
    waves[i].push(name);
  }
  return {
    lab: { name: lab.name, file: lab.file, labDir: lab.labDir },
    network: {
      name: lab.mgmt.network,
      spec: networkSpec(lab),
      ...(spread ? { hosts: hostNetworks(lab, networkSpec(lab), spread) } : {}),
      // Containerlab creates the management network unless skip-when-unused is set and every node
      // has network-mode none (core/network.go skipMgmtNetwork).
      usesMgmt: !lab.mgmt.skipWhenUnused || lab.nodes.some((n) => n.networkMode !== "none"),
    },
    images: [...images.values()],
    containers: order.map((name) => {
      const node = labIndex(lab).byName.get(name) as NodeModel;
      return {
        node: name,
        ...hostField(spread, name),
        name: node.longName,
        kind: node.kind.name,
        image: node.image as string,
        ...specsOf(node, lab, interfaces.get(name) ?? []),
        dependsOn: [...(deps.get(name) ?? [])].sort(),
        startupDelay: node.startupDelay,
        exec: node.exec,
        vm: !!node.kind.vm,
        startupConfig: node.startupConfig,
        ...(node.certificate ? { certificate: node.certificate } : {}),
        files: node.files,
      };
    }),
    waves: waves.map((w) => w.sort()),
    links: linkSteps(lab, spread, warnings),
    external: lab.nodes.filter((n) => n.kind.role === "external").map((n) => n.name),
    hostCommands: deployable.flatMap((n) =>
      n.stageExec
        .filter((h) => h.target === "host")
        .map((h) => ({ node: n.name, stage: h.stage, phase: h.phase, command: h.command })),
    ),
    notes: lab.notes,
    ...(spread ? { hosts: { names: spread.hosts, vxlanPort: spread.vxlanPort } } : {}),
    ...(warnings.length ? { warnings } : {}),
  };
}
