import type { ContainerSummary, DockerClient } from "../../runtime/docker/index.ts";

/** One lab container as `lab inspect` shows it. */
export interface LabContainer {
  lab: string;
  /** The topology file the lab came from (label clab-topo-file). */
  topoFile: string;
  labDir: string;
  /** Its topology node (a distributed chassis's cards all name their root node). */
  node: string;
  /** A card of a distributed chassis: its own name (`<node>-<slot>`). */
  component?: string;
  /** A card that joined another's network namespace (its addresses are that one's). */
  joined?: boolean;
  /** A card's chassis as a whole: its root node's container-style name (clab-<lab>-<node>). */
  rootLongName?: string;
  name: string;
  id: string;
  image: string;
  kind: string;
  group: string;
  state: string;
  status: string;
  ipv4: string;
  ipv6: string;
  mac: string;
  network: string;
  ports: PortInfo[];
  owner: string;
  /** The host it runs on when not this machine (a lab over several hosts). */
  host?: string;
}

export interface PortInfo {
  hostIp: string;
  hostPort: number;
  containerPort: number;
  protocol: string;
}

export function formatPort(p: PortInfo): string {
  const ip = p.hostIp.includes(":") ? `[${p.hostIp}]` : p.hostIp;
  return `${ip}:${p.hostPort}→${p.containerPort}/${p.protocol}`;
}

function toLabContainer(c: ContainerSummary): LabContainer {
  const labels = c.Labels ?? {};
  const [network, net] = Object.entries(c.NetworkSettings?.Networks ?? {})[0] ?? ["", undefined];
  const nodeDir = labels["clab-node-lab-dir"] ?? "";
  return {
    lab: labels.containerlab ?? "",
    topoFile: labels["clab-topo-file"] ?? "",
    labDir: nodeDir ? nodeDir.replace(/\/[^/]+$/, "") : "",
    node: labels["clab-root-node-name"] || (labels["clab-node-name"] ?? ""),
    ...(labels["clab-root-node-name"]
      ? { component: labels["clab-node-name"] ?? "", rootLongName: labels["clab-root-node-longname"] ?? "" }
      : {}),
    name: (c.Names[0] ?? "").replace(/^\//, ""),
    id: c.Id,
    image: c.Image,
    kind: labels["clab-node-kind"] ?? "",
    group: labels["clab-node-group"] ?? "",
    state: c.State,
    status: c.Status,
    ipv4: net?.IPAddress
      ? `${net.IPAddress}/${(net as { IPPrefixLen?: number }).IPPrefixLen ?? ""}`.replace(/\/$/, "")
      : "",
    ipv6: net?.GlobalIPv6Address
      ? `${net.GlobalIPv6Address}/${(net as { GlobalIPv6PrefixLen?: number }).GlobalIPv6PrefixLen ?? ""}`.replace(
          /\/$/,
          "",
        )
      : "",
    mac: net?.MacAddress ?? "",
    network,
    ports: (c.Ports ?? [])
      .filter((p) => p.PublicPort)
      .map((p) => ({
        hostIp: p.IP ?? "0.0.0.0",
        hostPort: p.PublicPort as number,
        containerPort: p.PrivatePort,
        protocol: p.Type,
      }))
      .sort((a, b) => a.containerPort - b.containerPort || a.hostIp.localeCompare(b.hostIp)),
    owner: labels["clab-owner"] ?? "",
  };
}

/**
 * The cards of a distributed chassis share the first one's network namespace: those that joined it
 * show its management addresses, as Containerlab's GetContainers forges them.
 */
export function shareComponentAddresses(list: LabContainer[]): LabContainer[] {
  const owners = new Map<string, LabContainer>();
  for (const c of list) if (c.component && c.network) owners.set(`${c.lab}\0${c.node}`, c);
  return list.map((c) => {
    const owner = c.component && !c.network ? owners.get(`${c.lab}\0${c.node}`) : undefined;
    return owner ? { ...c, ipv4: owner.ipv4, ipv6: owner.ipv6, network: owner.network, joined: true } : c;
  });
}

/** Containers of one lab (by name) or of every lab, found by Containerlab's labels, sorted by name. */
export async function listLabContainers(docker: DockerClient, lab?: string): Promise<LabContainer[]> {
  const summaries = await docker.containers.list(lab ? { containerlab: lab } : { containerlab: true });
  return shareComponentAddresses(summaries.map(toLabContainer)).sort(
    (a, b) => a.lab.localeCompare(b.lab) || a.name.localeCompare(b.name),
  );
}

/** One container by ID, as `lab inspect` shows it; undefined once it is gone. */
export async function findLabContainer(docker: DockerClient, id: string): Promise<LabContainer | undefined> {
  const [summary] = await docker.containers.list({}, { id: [id] });
  return summary ? toLabContainer(summary) : undefined;
}

/** A lab's containers by node: one each, or a distributed chassis's cards together. */
export function groupByNode(list: LabContainer[]): Map<string, LabContainer[]> {
  const out = new Map<string, LabContainer[]>();
  for (const c of list) out.set(c.node, [...(out.get(c.node) ?? []), c]);
  return out;
}

/**
 * Each node's control container: for a distributed chassis its active control card (slot A, else
 * B), where Containerlab's base node delegates its save to; otherwise the node's one.
 */
export function controlContainers(list: LabContainer[]): LabContainer[] {
  return [...groupByNode(list).values()].map((cards) => {
    if (cards.length === 1 || !cards[0]?.component) return cards[0] as LabContainer;
    const slot = (s: string) => cards.find((c) => c.component === `${c.node}-${s}`);
    return slot("a") ?? slot("b") ?? (cards.find((c) => !c.joined) as LabContainer);
  });
}

/** Each node's container: for a distributed chassis, the one holding its namespace and links. */
export function byNode(list: LabContainer[]): Map<string, LabContainer> {
  return new Map(list.filter((c) => !c.joined).map((c) => [c.node, c]));
}

export function groupByLab(containers: LabContainer[]): Map<string, LabContainer[]> {
  const out = new Map<string, LabContainer[]>();
  for (const c of containers) out.set(c.lab, [...(out.get(c.lab) ?? []), c]);
  return out;
}

/** A lab's containers (or every lab's) on all the given hosts, each marked with its host. */
export async function listOnHosts(
  hosts: { all: { name: string; docker: DockerClient }[] },
  lab?: string,
): Promise<LabContainer[]> {
  const lists = await Promise.all(
    hosts.all.map(async (h) =>
      (await listLabContainers(h.docker, lab)).map((c) => (h.name === "local" ? c : { ...c, host: h.name })),
    ),
  );
  return lists.flat().sort((a, b) => a.lab.localeCompare(b.lab) || a.name.localeCompare(b.name));
}
