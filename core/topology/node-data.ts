import { GoStruct, typedSlice } from "../gotemplate/index.ts";
import { formatIP, parseCidr } from "./ip.ts";
import type { Endpoint, LabModel, LinkModel, NodeModel } from "./model.ts";

// The data a startup-config template sees: Containerlab's types.NodeConfig, field for field as its
// Go struct names them (.ShortName, .MgmtIPv4Address, .Config.Vars, …), plus .Endpoints: the
// node's links with their addresses, which Containerlab gives only to its own kind templates.

const int = (n: number | undefined) => BigInt(Math.trunc(n ?? 0));
const strMap = (m: Record<string, string> | undefined) => ({ ...(m ?? {}) });

/** A link's ends, each with its peer node and interface. */
function ends(l: LinkModel): [Endpoint, string, string][] {
  switch (l.type) {
    case "veth":
    case "veth-stitch":
      return [
        [l.a, l.b.node, l.b.iface],
        [l.b, l.a.node, l.a.iface],
      ];
    case "host":
    case "mgmt-net":
    case "macvlan":
      return [[l.endpoint, l.type === "macvlan" ? "macvlan" : "host", l.hostInterface]];
    default:
      return [[l.endpoint, "", ""]];
  }
}

/** The node's link ends with their addresses, vars and peers. */
function endpoints(node: NodeModel, links: LinkModel[]): GoStruct[] {
  return links.flatMap((l) =>
    ends(l)
      .filter(([ep]) => ep.node === node.name)
      .map(
        ([ep, peer, peerIface]) =>
          new GoStruct("types.Endpoint", {
            Name: ep.iface,
            Alias: ep.alias ?? "",
            MAC: ep.mac ?? "",
            MTU: int(l.mtu),
            IPv4: ep.ipv4 ?? "",
            IPv6: ep.ipv6 ?? "",
            Vars: ep.vars ?? {},
            LinkVars: l.vars ?? {},
            LinkLabels: strMap(l.labels),
            LinkType: l.type,
            Peer: peer,
            PeerInterface: peerIface,
          }),
      ),
  );
}

/** The gateway the engine gives a network it creates without one: the subnet's first address. */
export function firstHost(subnet: string | undefined): string {
  const c = subnet ? parseCidr(subnet) : undefined;
  return c ? formatIP({ family: c.family, value: c.base + 1n }) : "";
}

const split = (cidr: string | undefined) => {
  const [addr, len] = (cidr ?? "").split("/");
  return { addr: addr ?? "", len: len ? BigInt(len) : 0n };
};

/** types.NodeConfig for `node`, as Containerlab passes it to startup-config templates. */
export function nodeConfigData(
  node: NodeModel,
  lab: LabModel,
  /** The node's certificate, issued at deploy (empty before). */
  tls: { cert: string; key: string; anchor: string } = { cert: "", key: "", anchor: "" },
): GoStruct {
  const v4 = split(node.mgmtIpv4 ? `${node.mgmtIpv4}/${lab.mgmt.ipv4Subnet?.split("/")[1] ?? ""}` : undefined);
  const v6 = split(node.mgmtIpv6 ? `${node.mgmtIpv6}/${lab.mgmt.ipv6Subnet?.split("/")[1] ?? ""}` : undefined);
  const list = (xs: string[] | undefined) => typedSlice([...(xs ?? [])], "[]string");
  const fields: Record<string, unknown> = {
    ShortName: node.name,
    LongName: node.longName,
    Hostname: node.hostname ?? "",
    Fqdn: node.fqdn,
    LabDir: node.nodeDir,
    Index: BigInt(node.index),
    Group: node.group ?? "",
    Kind: node.kindName,
    StartupConfig: node.startupConfig?.origin ?? "",
    StartupDelay: BigInt(node.startupDelay),
    EnforceStartupConfig: node.startupConfig?.enforce ?? false,
    SuppressStartupConfig: node.suppressStartupConfig,
    AutoRemove: node.autoRemove,
    RestartPolicy: node.restartPolicy ?? "",
    ResStartupConfig: node.startupConfig?.target ?? "",
    Config: new GoStruct("types.ConfigDispatcher", { Vars: node.configVars }),
    NodeType: node.type ?? "",
    Image: node.image ?? "",
    ImagePullPolicy: node.pullPolicy,
    Sysctls: strMap(node.sysctls),
    User: node.user ?? "",
    Entrypoint: node.entrypoint?.join(" ") ?? "",
    Cmd: node.cmd?.join(" ") ?? "",
    Exec: list(node.exec),
    Env: strMap(node.env),
    Binds: list(node.binds),
    Volumes: list(node.volumes),
    Devices: list(node.devices),
    CapAdd: list(node.capAdd),
    Privileged: node.privileged,
    CgroupnsMode: node.cgroupnsMode ?? "",
    CgroupParent: node.cgroupParent ?? "",
    PidMode: node.pidMode ?? "",
    Tmpfs: strMap(node.tmpfs),
    SecurityOpts: list(node.securityOpts),
    NetworkMode: node.networkMode ?? "",
    MgmtNet: lab.mgmt.network,
    MgmtIntf: node.mgmtIntf,
    MgmtIPv4Address: v4.addr,
    MgmtIPv4PrefixLength: v4.len,
    MgmtIPv6Address: v6.addr,
    MgmtIPv6PrefixLength: v6.len,
    MgmtIPv4Gateway: lab.mgmt.ipv4Gw ?? firstHost(lab.mgmt.ipv4Subnet),
    MgmtIPv6Gateway: lab.mgmt.ipv6Gw ?? firstHost(lab.mgmt.ipv6Subnet),
    MacAddress: node.mgmtMac ?? "",
    ContainerID: "",
    TLSCert: tls.cert,
    TLSKey: tls.key,
    TLSAnchor: tls.anchor,
    Aliases: list(node.aliases),
    Labels: strMap(node.labels),
    Runtime: "docker",
    CPU: node.cpu ?? 0,
    CPUSet: node.cpuSet ?? "",
    Memory: node.memory ? String(node.memory) : "",
    Credentials: new GoStruct("types.NodeCredentials", {
      Username: node.credentials.username ?? "",
      Password: node.credentials.password ?? "",
      IdentityFile: node.credentials.identityFile ?? "",
    }),
    Endpoints: endpoints(node, lab.links),
  };
  return new GoStruct("types.NodeConfig", fields);
}
