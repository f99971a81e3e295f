import type { ContainerCreateSpec, NetworkCreateSpec, PortBinding } from "../../runtime/docker/types.ts";
import { LOCAL } from "../hosts/definitions.ts";
import type { HostPlacement } from "../hosts/placement.ts";
import { dependencies, topoOrder } from "../topology/graph.ts";
import { type Cidr, cidrContains, cidrSlice, parseCidr, parseIP } from "../topology/ip.ts";
import type {
  CertificateSettings,
  LabModel,
  NodeFile,
  NodeModel,
  PullPolicy,
  StartupConfig,
} from "../topology/model.ts";
import { type LinkStep, linkSteps } from "./link-plan.ts";
import { hostField, labIndex } from "./plan-common.ts";

// The deploy plan: a lab as the engine requests that make it, computed without touching the engine
// (what --dry-run prints and the tests read): the management network, each container's create
// spec in dependency order, the images, and the link steps (link-plan.ts). One job: lab → plan.

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

export type { EndSetup, LinkStep, Placement, VxlanSpec } from "./link-plan.ts";
export {
  bridgeName,
  bridgesHostedBy,
  deviceName,
  labOwner,
  linkSteps,
  nsBridgeHost,
  ownedBy,
  ownershipAltName,
} from "./link-plan.ts";
export { macFor, netnsContainer } from "./plan-common.ts";

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
    IPAM: { Driver: "default", Config: config.map(withoutUndefined) },
    Options: options,
    Labels: { containerlab: "" },
  };
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
  return withoutUndefined(spec);
}

/**
 * The request as the engine gets it: keys whose value is undefined left out, as JSON leaves them
 * (the plan is compared and printed; a JSON round trip did this at twice the cost on 1,000 nodes).
 */
function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutUndefined) as T;
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = withoutUndefined(v);
  return out as T;
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
