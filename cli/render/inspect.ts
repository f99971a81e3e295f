import { relative } from "node:path";
import { formatPort, groupByLab, type LabContainer } from "../../core/deploy/inspect.ts";
import type { NodeInterfaces } from "../../core/deploy/interfaces.ts";
import { renderTable } from "./table.ts";

/** The topology path as Containerlab's inspect shows it: relative to cwd when that is shorter. */
export function shortestPath(path: string, cwd: string): string {
  if (!path) return "";
  const rel = relative(cwd, path);
  return rel.length < path.length ? rel : path;
}

/** Containerlab's parseStatus: a health state when the status carries one, else the status. */
export function healthOf(status: string): string {
  if (status.includes("unhealthy")) return "unhealthy";
  if (status.includes("health: starting")) return "health: starting";
  if (status.includes("healthy")) return "healthy";
  return status;
}

const bare = (address: string) => (address ? (address.split("/")[0] as string) : "N/A");

/**
 * Containerlab's inspect table (cmd/inspect.go printContainerInspectTable): Name, Kind/Image, State,
 * IPv4/6 Address, two lines per node and a rule between nodes; with --all the topology and lab
 * first, with --wide the owner and everything on one line. lab adds a Host column for a lab over
 * several hosts and a Ports column when a node publishes ports, both after Containerlab's.
 */
export function inspectTable(
  containers: LabContainer[],
  options: { wide?: boolean; all?: boolean; cwd?: string } = {},
): string {
  const { wide = false, all = false } = options;
  const spread = containers.some((c) => c.host);
  const ports = containers.some((c) => c.ports.length);
  const two = (a: string, b: string) => (wide ? `${a} ${b}` : `${a}\n${b}`);
  const rows = containers.map((c) => {
    const health = healthOf(c.status);
    const status = health.includes("health") ? `(${health})` : "";
    return [
      ...(all ? [shortestPath(c.topoFile, options.cwd ?? "/"), c.lab] : []),
      ...(wide ? [c.owner] : []),
      c.name,
      two(c.kind, c.image),
      two(c.state, status),
      two(bare(c.ipv4), bare(c.ipv6)),
      ...(spread ? [c.host ?? "local"] : []),
      ...(ports ? [c.ports.map(formatPort).join(", ")] : []),
    ];
  });
  return renderTable(
    [
      ...(all ? ["Topology", "Lab Name"] : []),
      ...(wide ? ["Owner"] : []),
      "Name",
      "Kind/Image",
      "State",
      "IPv4/6 Address",
      ...(spread ? ["Host"] : []),
      ...(ports ? ["Ports"] : []),
    ],
    rows,
    { separateRows: !wide },
  );
}

/** Containerlab's --format csv: its header and columns, one row per container. */
export function inspectCsv(containers: LabContainer[], cwd: string): string {
  const header =
    "lab_name,labPath,absLabPath,name,container_id,image,kind,state,status,ipv4_address,ipv6_address,owner";
  const rows = containers.map((c) =>
    [
      c.lab,
      shortestPath(c.topoFile, cwd),
      c.topoFile,
      c.name,
      c.id.slice(0, 12),
      c.image,
      c.kind,
      c.state,
      c.status,
      c.ipv4 || "N/A",
      c.ipv6 || "N/A",
      c.owner,
    ].join(","),
  );
  return `${[header, ...rows].join("\n")}\n`;
}

/**
 * Containerlab's JSON (types.ContainerDetails, grouped by lab): its keys, empty ones left out as its
 * omitempty tags do; lab adds `node`, and `host` for a node on another host.
 */
export function inspectJson(containers: LabContainer[], cwd = "/"): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  const set = (o: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(o).filter(([, v]) => v !== "" && v !== undefined && !(Array.isArray(v) && !v.length)),
    );
  for (const [lab, list] of groupByLab(containers)) {
    out[lab] = list.map((c) =>
      set({
        lab_name: c.lab,
        labPath: shortestPath(c.topoFile, cwd),
        absLabPath: c.topoFile,
        name: c.name,
        container_id: c.id.slice(0, 12),
        image: c.image,
        kind: c.kind,
        group: c.group,
        state: c.state,
        status: healthOf(c.status),
        ipv4_address: c.ipv4 || "N/A",
        ipv6_address: c.ipv6 || "N/A",
        ports: c.ports.map((p) => ({
          host_ip: p.hostIp,
          host_port: p.hostPort,
          port: p.containerPort,
          protocol: p.protocol,
        })),
        owner: c.owner,
        node: c.node,
        host: c.host,
      }),
    );
  }
  return out;
}

/**
 * `inspect --details`: Containerlab's GenericContainer of each node (runtime/generic_container.go),
 * grouped by lab: what the engine's container listing says, with its PID and gateways.
 */
export function inspectDetails(
  containers: LabContainer[],
  inspected: Map<string, { State: { Pid: number }; Mounts?: { Source: string; Destination: string }[] }>,
  labels: Map<string, Record<string, string>>,
  gateways: Map<string, { v4: string; v6: string }>,
): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const [lab, list] of groupByLab(containers)) {
    out[lab] = list.map((c) => {
      const [v4, v4len] = c.ipv4 ? c.ipv4.split("/") : ["", "0"];
      const [v6, v6len] = c.ipv6 ? c.ipv6.split("/") : ["", "0"];
      const info = inspected.get(c.id);
      return {
        Names: [c.name],
        ID: c.id,
        ShortID: c.id.slice(0, 12),
        Image: c.image,
        State: c.state,
        Status: c.status,
        Labels: labels.get(c.id) ?? {},
        Pid: info?.State.Pid ?? 0,
        NetworkName: c.network,
        NetworkSettings: {
          IPv4addr: v4,
          IPv4pLen: Number(v4len) || 0,
          IPv4Gw: gateways.get(c.id)?.v4 ?? "",
          IPv6addr: v6,
          IPv6pLen: Number(v6len) || 0,
          IPv6Gw: gateways.get(c.id)?.v6 ?? "",
        },
        Mounts: (info?.Mounts ?? []).map((m) => ({ Source: m.Source, Destination: m.Destination })),
        Runtime: {},
        Ports: c.ports.map((p) => ({
          host_ip: p.hostIp,
          host_port: p.hostPort,
          port: p.containerPort,
          protocol: p.protocol,
        })),
        ...(c.host ? { Host: c.host } : {}),
      };
    });
  }
  return out;
}

/** `lab inspect --ports`: where each published port really goes. */
export function portsExplained(containers: LabContainer[]): string {
  const lines: string[] = [];
  for (const c of containers) {
    const ip = c.ipv4.split("/")[0] || c.name;
    for (const p of c.ports) {
      const host =
        p.hostIp === "0.0.0.0" || p.hostIp === "::"
          ? `${p.hostIp === "::" ? "[::]" : "0.0.0.0"} (every host address)`
          : p.hostIp;
      lines.push(`${c.node}: ${host}:${p.hostPort} → ${ip}:${p.containerPort}/${p.protocol}`);
    }
  }
  return lines.length ? lines.join("\n") : "no published ports";
}

/** `lab inspect --interfaces`: one row per interface of every running node. */
export function interfacesTable(nodes: NodeInterfaces[]): string {
  const rows = nodes.flatMap((n) =>
    n.interfaces.map((i) => [
      n.container,
      i.name,
      i.kind || "device",
      i.state,
      String(i.mtu),
      i.mac,
      i.alias,
      i.impairment,
    ]),
  );
  return renderTable(["Container", "Interface", "Type", "State", "MTU", "MAC", "Alias", "Impairment"], rows);
}
