import { findKind } from "../kinds/index.ts";
import type { LabModel, NodeModel } from "../topology/index.ts";
import type { LabContainer } from "./inspect.ts";

// The automation inventories Containerlab writes into the lab dir (core/inventory.go and its
// templates): ansible-inventory.yml and nornir-simple-inventory.yml, line for line in the same
// shape, so playbooks and Nornir scripts written for Containerlab labs work unchanged. Beyond
// Containerlab, a node with link addresses also gets them (host var lab_interfaces; Nornir data).

interface InvNode {
  node: NodeModel;
  ipv4: string;
  emitUser: boolean;
  emitPassword: boolean;
  /** Link ends with addresses (beyond Containerlab: written only when there are any). */
  interfaces: { name: string; ipv4?: string; ipv6?: string }[];
}

/** Each node's addressed link ends, by node name. */
function addressedEnds(lab: LabModel): Map<string, InvNode["interfaces"]> {
  const out = new Map<string, InvNode["interfaces"]>();
  for (const l of lab.links) {
    const ends = l.type === "veth" || l.type === "veth-stitch" ? [l.a, l.b] : [l.endpoint];
    for (const e of ends) {
      if (!e.ipv4 && !e.ipv6) continue;
      const list = out.get(e.node) ?? [];
      list.push({ name: e.alias ?? e.iface, ...(e.ipv4 ? { ipv4: e.ipv4 } : {}), ...(e.ipv6 ? { ipv6: e.ipv6 } : {}) });
      out.set(e.node, list);
    }
  }
  return out;
}

/** YAML lines for the addressed interfaces, at `indent`. */
const interfaceLines = (n: InvNode, indent: string, key: string) =>
  n.interfaces.length
    ? [
        `${indent}${key}:`,
        ...n.interfaces.flatMap((i) => [
          `${indent}  ${i.name}:`,
          ...(i.ipv4 ? [`${indent}    ipv4: ${i.ipv4}`] : []),
          ...(i.ipv6 ? [`${indent}    ipv6: ${i.ipv6}`] : []),
        ]),
      ]
    : [];

interface GroupProps {
  username: string;
  password: string;
}

const byShortName = (a: InvNode, b: InvNode) => (a.node.name < b.node.name ? -1 : a.node.name > b.node.name ? 1 : 0);
const sortedEntries = <T>(m: Map<string, T>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

function invNodes(lab: LabModel, containers: LabContainer[]): InvNode[] {
  const ip = new Map(containers.map((c) => [c.node, c.ipv4.split("/")[0] ?? ""]));
  const ends = addressedEnds(lab);
  return lab.nodes.map((node) => {
    // Credentials set on the node or its group go on the host entry itself.
    const own = node.credentials.source === "node" || node.credentials.source === "group";
    return {
      node,
      ipv4: ip.get(node.name) ?? node.mgmtIpv4 ?? "",
      emitUser: own,
      emitPassword: own,
      interfaces: ends.get(node.name) ?? [],
    };
  });
}

/**
 * Containerlab's rules for per-host credentials in a group: set them on every host when the group's
 * nodes disagree, or when some take theirs from defaults and others from elsewhere.
 */
function heterogeneous(nodes: InvNode[]): void {
  if (nodes.length < 2) return;
  const [first] = nodes as [InvNode];
  if (nodes.some((n) => n.node.credentials.username !== first.node.credentials.username))
    for (const n of nodes) n.emitUser = true;
  if (nodes.some((n) => n.node.credentials.password !== first.node.credentials.password))
    for (const n of nodes) n.emitPassword = true;
  const src = nodes.map((n) => n.node.credentials.source);
  const fromDefaults = src.includes("defaults");
  const fromElsewhere = src.some((s) => s !== "defaults" && s !== "none" && s !== "kind-default");
  if (fromDefaults && fromElsewhere) for (const n of nodes) n.emitUser = n.emitPassword = true;
}

/** The group's own username/password: the `kinds:` entry's, else what all its nodes share (not from defaults). */
function groupProps(lab: LabModel, kind: string, nodes: InvNode[]): GroupProps {
  const topo = lab.kindCredentials[kind] ?? {};
  const [first] = nodes as [InvNode];
  const u0 = first.node.credentials.username ?? "";
  const p0 = first.node.credentials.password ?? "";
  const uniformUser = nodes.every((n) => (n.node.credentials.username ?? "") === u0);
  const uniformPass = nodes.every((n) => (n.node.credentials.password ?? "") === p0);
  const anyDefaults = nodes.some((n) => n.node.credentials.source === "defaults");
  return {
    username: topo.username || (uniformUser && u0 && !anyDefaults ? u0 : ""),
    password: topo.password || (uniformPass && p0 && !anyDefaults ? p0 : ""),
  };
}

/** The Ansible group of a node: its kind as written, SR-SIM in classic CLI mode apart. */
const ansibleGroup = (n: NodeModel) =>
  n.env.CLAB_SROS_CONFIG_MODE?.toLowerCase() === "classic" ? "nokia_srsim_classic" : n.kindName;

/** Where the credentials of `defaults:` are kept among the kinds' (a name no kind can have). */
export const DEFAULTS = "";

const ANSIBLE_CLASSIC = { networkOs: "nokia.sros.classic", connection: "ansible.netcommon.network_cli" };

export function ansibleInventory(lab: LabModel, containers: LabContainer[]): string {
  const nodes = invNodes(lab, containers);
  const byKind = new Map<string, InvNode[]>();
  const byLabel = new Map<string, InvNode[]>();
  for (const n of nodes) {
    const g = ansibleGroup(n.node);
    byKind.set(g, [...(byKind.get(g) ?? []), n]);
    const label = n.node.labels["ansible-group"];
    if (label) byLabel.set(label, [...(byLabel.get(label) ?? []), n]);
  }
  for (const list of [...byKind.values(), ...byLabel.values()]) list.sort(byShortName);
  const host = (n: InvNode) => [
    `        ${n.node.longName}:`,
    ...(n.node.labels["ansible-no-host-var"] === "true" ? [] : [`          ansible_host: ${n.ipv4}`]),
    ...(n.emitUser ? [`          ansible_user: ${n.node.credentials.username ?? ""}`] : []),
    ...(n.emitPassword ? [`          ansible_password: ${n.node.credentials.password ?? ""}`] : []),
    ...interfaceLines(n, "          ", "lab_interfaces"),
  ];
  const lines = [
    "all:",
    "  vars:",
    "    # The generated inventory is assumed to be used from the clab host.",
    "    # Hence no http proxy should be used. Therefore we make sure the http",
    "    # module does not attempt using any global http proxy.",
    "    ansible_httpapi_use_proxy: false",
  ];
  const defaults = lab.kindCredentials[DEFAULTS];
  if (defaults?.username) lines.push(`    ansible_user: ${defaults.username}`);
  if (defaults?.password) lines.push(`    ansible_password: ${defaults.password}`);
  lines.push("  children:");
  for (const [group, list] of sortedEntries(byKind)) {
    heterogeneous(list);
    const props = groupProps(lab, group, list);
    const conn = group === "nokia_srsim_classic" ? ANSIBLE_CLASSIC : findKind(group)?.ansible;
    lines.push(`    ${group}:`);
    if (conn || props.username || props.password) {
      lines.push("      vars:");
      if (conn) {
        lines.push(`        ansible_network_os: ${conn.networkOs}`);
        lines.push("        # default connection type for nodes of this kind");
        lines.push("        # feel free to override this in your inventory");
        lines.push(`        ansible_connection: ${conn.connection}`);
      } else lines.push("        # ansible_connection: set ansible_connection variable if required");
      if (props.username) lines.push(`        ansible_user: ${props.username}`);
      if (props.password) lines.push(`        ansible_password: ${props.password}`);
    }
    lines.push("      hosts:", ...list.flatMap(host));
  }
  for (const [group, list] of sortedEntries(byLabel))
    lines.push(`    ${group}:`, "      hosts:", ...list.flatMap(host));
  return `${lines.join("\n")}\n`;
}

/**
 * nornir-simple-inventory.yml. The platform is the kind, or its NAPALM or scrapli name when
 * CLAB_NORNIR_PLATFORM_NAME_SCHEMA says so; groups come from labels starting with nornir-group.
 */
export function nornirInventory(lab: LabModel, containers: LabContainer[], schema = ""): string {
  const nodes = invNodes(lab, containers);
  const byKind = new Map<string, InvNode[]>();
  for (const n of nodes) byKind.set(n.node.kindName, [...(byKind.get(n.node.kindName) ?? []), n]);
  const out = ["---"];
  for (const [kind, list] of sortedEntries(byKind)) {
    list.sort(byShortName);
    heterogeneous(list);
    const props = groupProps(lab, kind, list);
    // Kinds without platform names keep their kind name whatever the schema asks.
    const platform = findKind(kind)?.platform;
    const name = !platform
      ? kind
      : schema === "napalm"
        ? (platform.napalm ?? "")
        : schema === "scrapli"
          ? (platform.scrapli ?? "")
          : kind;
    for (const n of list) {
      const groups = Object.entries(n.node.labels)
        .filter(([k]) => k.startsWith("nornir-group"))
        .map(([, v]) => v)
        .sort();
      out.push(
        `${n.node.name}:`,
        `    username: ${n.emitUser ? (n.node.credentials.username ?? "") : props.username}`,
        `    password: ${n.emitPassword ? (n.node.credentials.password ?? "") : props.password}`,
        `    platform: ${name}`,
        `    hostname: ${n.ipv4}`,
        ...(groups.length ? ["    groups:", ...groups.map((g) => `      - ${g}`)] : []),
        ...(n.interfaces.length ? ["    data:", ...interfaceLines(n, "      ", "interfaces")] : []),
      );
    }
  }
  return `${out.join("\n")}\n`;
}
