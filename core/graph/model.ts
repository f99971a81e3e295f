import type { LabModel, LinkModel, NodeModel } from "../topology/model.ts";

// What lab graph draws and exports: the topology's nodes and links, with what runs now laid over
// them (state, addresses, ports, shared sockets, impairments). Pure: live.ts gathers the live part.

export interface GraphPort {
  hostIp: string;
  hostPort: number;
  port: number;
  protocol: string;
}

export interface GraphNode {
  id: string;
  name: string;
  kind: string;
  image: string;
  group: string;
  /** The engine's word (running, exited, …), "not deployed", or "" for a pseudo node. */
  state: string;
  container: string;
  mgmtIpv4: string;
  mgmtIpv6: string;
  ports: GraphPort[];
  /** lab share sockets on this node: port and public URL. */
  published: { port: string; url: string }[];
  /** The host, a management network, a macvlan parent or a vxlan remote: not a container. */
  pseudo?: boolean;
  /** graph-posX / graph-posY labels (Containerlab's TopoViewer), else the layout's. */
  position?: { x: number; y: number };
  pinned?: boolean;
  icon?: string;
  level?: number;
  /** How to reach it. */
  commands: string[];
  /** The host it runs on, in a lab over several hosts. */
  host?: string;
}

export interface GraphEnd {
  node: string;
  /** The name as the topology wrote it (NOS name), else the Linux one. */
  iface: string;
  addresses: string[];
  impairment: string;
  /** Where the page writes the interface name (centre and size; the text may be the short form); absent: no room, the link's tooltip has it. */
  label?: { x: number; y: number; width: number; height: number; text: string };
}

export interface GraphLink {
  id: string;
  type: LinkModel["type"];
  a: GraphEnd;
  b: GraphEnd;
  mtu?: number;
}

export interface Graph {
  lab: string;
  file: string;
  deployed: boolean;
  nodes: GraphNode[];
  links: GraphLink[];
  groups: string[];
}

/** What runs now, by node name (absent: not deployed). */
export interface LiveInfo {
  containers: Map<
    string,
    { container: string; state: string; image: string; ipv4: string; ipv6: string; ports: GraphPort[] }
  >;
  /** Impairment summaries by node, then Linux interface name. */
  impairments: Map<string, Map<string, string>>;
  published: Map<string, { port: string; url: string }[]>;
}

export const noLive = (): LiveInfo => ({ containers: new Map(), impairments: new Map(), published: new Map() });

const num = (v: string | undefined) =>
  v !== undefined && v.trim() !== "" && Number.isFinite(Number(v)) ? Number(v) : undefined;

function graphNode(n: NodeModel, lab: LabModel, live: LiveInfo, fileArg: string): GraphNode {
  const c = live.containers.get(n.name);
  const x = num(n.labels["graph-posX"]);
  const y = num(n.labels["graph-posY"]);
  const container = n.kind.role === "external" ? n.name : n.longName;
  const user = n.credentials.username;
  const commands =
    n.kind.role === "container" || n.kind.role === "external"
      ? [
          ...(user ? [`ssh ${user}@${container}`] : []),
          `lab exec ${fileArg} --node ${n.name} --cmd "sh"`,
          // On another host the local docker CLI does not see it.
          ...(n.host ? [] : [`docker exec -it ${container} sh`]),
        ]
      : [];
  return {
    id: n.name,
    name: n.name,
    kind: n.kind.name,
    image: c?.image || n.image || "",
    group: n.labels["graph-group"] || n.group || "",
    state: n.kind.role === "container" || n.kind.role === "external" ? (c?.state ?? "not deployed") : "",
    container: n.kind.role === "container" || n.kind.role === "external" ? container : "",
    mgmtIpv4: c?.ipv4 || n.mgmtIpv4 || "",
    mgmtIpv6: c?.ipv6 || n.mgmtIpv6 || "",
    ports:
      c?.ports ??
      n.ports.map((p) => ({
        hostIp: p.hostIp,
        hostPort: Number(p.hostPort) || 0,
        port: p.containerPort,
        protocol: p.protocol,
      })),
    published: live.published.get(n.name) ?? [],
    ...(x !== undefined && y !== undefined ? { position: { x, y }, pinned: true } : {}),
    ...(n.labels["graph-icon"] ? { icon: n.labels["graph-icon"] } : {}),
    ...(num(n.labels["graph-level"]) !== undefined ? { level: num(n.labels["graph-level"]) } : {}),
    commands,
    ...(n.host ? { host: n.host.name } : {}),
  };
}

const pseudoNode = (id: string, kind: string): GraphNode => ({
  id,
  name: id,
  kind,
  image: "",
  group: "",
  state: "",
  container: "",
  mgmtIpv4: "",
  mgmtIpv6: "",
  ports: [],
  published: [],
  pseudo: true,
  commands: [],
});

export function buildGraph(lab: LabModel, live: LiveInfo = noLive()): Graph {
  const fileArg = lab.file === "<stdin>" ? `--name ${lab.name}` : `-t ${lab.file}`;
  const nodes = new Map(lab.nodes.map((n) => [n.name, graphNode(n, lab, live, fileArg)]));
  const end = (node: string, ep: { iface: string; alias?: string; ipv4?: string; ipv6?: string }): GraphEnd => ({
    node,
    iface: ep.alias ?? ep.iface,
    addresses: [ep.ipv4, ep.ipv6].filter((a): a is string => !!a),
    impairment: live.impairments.get(node)?.get(ep.iface) ?? "",
  });
  const pseudo = (id: string, kind: string, iface: string): GraphEnd => {
    if (!nodes.has(id)) nodes.set(id, pseudoNode(id, kind));
    return { node: id, iface, addresses: [], impairment: "" };
  };
  const links: GraphLink[] = [];
  lab.links.forEach((l, i) => {
    const id = `link-${i}`;
    switch (l.type) {
      case "veth":
      case "veth-stitch":
        links.push({ id, type: l.type, a: end(l.a.node, l.a), b: end(l.b.node, l.b), mtu: l.mtu });
        break;
      case "host":
        links.push({
          id,
          type: l.type,
          a: end(l.endpoint.node, l.endpoint),
          b: pseudo("host", "host", l.hostInterface),
          mtu: l.mtu,
        });
        break;
      case "mgmt-net":
        links.push({
          id,
          type: l.type,
          a: end(l.endpoint.node, l.endpoint),
          b: pseudo("mgmt-net", "mgmt-net", l.hostInterface),
          mtu: l.mtu,
        });
        break;
      case "macvlan":
        links.push({
          id,
          type: l.type,
          a: end(l.endpoint.node, l.endpoint),
          b: pseudo(`macvlan:${l.hostInterface}`, "macvlan", l.hostInterface),
          mtu: l.mtu,
        });
        break;
      case "vxlan":
      case "vxlan-stitch":
        links.push({
          id,
          type: l.type,
          a: end(l.endpoint.node, l.endpoint),
          b: pseudo(`vxlan:${l.remote}`, "vxlan", `vni ${l.vni}`),
          ...(l.mtu ? { mtu: l.mtu } : {}),
        });
        break;
      default:
        // dummy: an interface alone, no edge to draw.
        break;
    }
  });
  const list = [...nodes.values()];
  return {
    lab: lab.name,
    file: lab.file,
    deployed: live.containers.size > 0,
    nodes: list,
    links,
    groups: [...new Set(list.map((n) => n.group).filter(Boolean))].sort(),
  };
}

/**
 * graph --node-filter, as Containerlab's node filter: only these nodes, the links between them, and
 * the pseudo nodes (host, bridges) those links reach.
 */
export function filterGraph(graph: Graph, names: string[]): Graph {
  const wanted = new Set(names);
  const real = new Set(graph.nodes.filter((n) => n.state !== "").map((n) => n.id));
  const keeps = (id: string) => wanted.has(id) || !real.has(id);
  const links = graph.links.filter((l) => keeps(l.a.node) && keeps(l.b.node));
  const reached = new Set(links.flatMap((l) => [l.a.node, l.b.node]));
  const nodes = graph.nodes.filter((n) => wanted.has(n.id) || (!real.has(n.id) && reached.has(n.id)));
  return { ...graph, nodes, links };
}
