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

export function inspectTable(containers: LabContainer[], options: { wide?: boolean; cwd?: string } = {}): string {
  const wide = !!options.wide;
  // A lab over several hosts says where each node runs; a one-host table stays Containerlab's.
  const spread = containers.some((c) => c.host);
  const rows = containers.map((c, i) => [
    ...(wide ? [c.owner, c.lab, shortestPath(c.topoFile, options.cwd ?? "/")] : []),
    String(i + 1),
    c.name,
    ...(spread ? [c.host ?? "local"] : []),
    c.id.slice(0, 12),
    c.image,
    c.kind,
    c.group,
    c.state,
    ...(wide ? [c.status, c.mac || "N/A"] : []),
    c.ipv4 || "N/A",
    c.ipv6 || "N/A",
    c.ports.map(formatPort).join(", "),
  ]);
  return renderTable(
    [
      ...(wide ? ["Owner", "Lab Name", "Topology"] : []),
      "#",
      "Name",
      ...(spread ? ["Host"] : []),
      "Container ID",
      "Image",
      "Kind",
      "Group",
      "State",
      ...(wide ? ["Status", "MAC"] : []),
      "IPv4 Address",
      "IPv6 Address",
      "Ports",
    ],
    rows,
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

/** Containerlab's (≥ 0.68) JSON shape: containers grouped by lab name. */
export function inspectJson(containers: LabContainer[]): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const [lab, list] of groupByLab(containers)) {
    out[lab] = list.map((c) => ({
      lab_name: c.lab,
      labPath: c.topoFile,
      absLabPath: c.topoFile,
      name: c.name,
      node: c.node,
      container_id: c.id.slice(0, 12),
      image: c.image,
      kind: c.kind,
      group: c.group,
      state: c.state,
      status: c.status,
      ipv4_address: c.ipv4 || "N/A",
      ipv6_address: c.ipv6 || "N/A",
      ports: c.ports.map((p) => ({
        host_ip: p.hostIp,
        host_port: p.hostPort,
        port: p.containerPort,
        protocol: p.protocol,
      })),
      owner: c.owner,
      ...(c.host ? { host: c.host } : {}),
    }));
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
