import { isIP } from "node:net";
import { closest, type Diagnostic, type KeyPath, type SourceMap } from "./diagnostics.ts";
import { AddressBook, type EndpointAddresses, endpointAddresses } from "./link-addresses.ts";
import { DEFAULT_MTU, type Endpoint, type LinkMeta, type LinkModel, type NodeModel } from "./model.ts";
import type { RawBriefLink, RawEndpoint, RawLink, RawTypedLink } from "./schema.ts";

// Pseudo-nodes a brief link may name instead of a lab node (Containerlab's special link nodes).
const SPECIAL = new Set(["host", "mgmt-net", "macvlan"]);

function splitEndpoint(text: string): { node: string; iface: string } {
  const i = text.indexOf(":");
  return { node: text.slice(0, i), iface: text.slice(i + 1) };
}

/** Resolves the raw links against the nodes; problems go to `diagnostics` with their position. */
export function resolveLinks(
  raw: RawLink[],
  nodes: NodeModel[],
  map: SourceMap,
  diagnostics: Diagnostic[],
  declared: ReadonlySet<string> = new Set(nodes.map((n) => n.name)),
  warnings: Diagnostic[] = [],
): LinkModel[] {
  const resolver = new LinkResolver(nodes, map, diagnostics, declared, warnings);
  raw.forEach((link, i) => {
    resolver.add(link, i);
  });
  return resolver.links;
}

/** What a link's resolution needs besides the resolver: where it is, its MTU, its addresses. */
interface LinkAt {
  path: KeyPath;
  mtu: number;
  /** Addresses given per link (ipv4: [a, b]) or per endpoint; the endpoint's own win. */
  addrs(n: number, eps: (RawEndpoint | undefined)[]): EndpointAddresses[];
}

type TypedOf<T extends RawTypedLink["type"]> = Extract<RawTypedLink, { type: T }>;
type Typed = { [T in RawTypedLink["type"]]: (r: LinkResolver, link: TypedOf<T>, at: LinkAt) => LinkModel | undefined };

class LinkResolver {
  readonly links: LinkModel[] = [];
  private readonly byName: Map<string, NodeModel>;
  private readonly used = new Map<string, KeyPath>();
  private readonly book: AddressBook;

  constructor(
    nodes: NodeModel[],
    private readonly map: SourceMap,
    private readonly diagnostics: Diagnostic[],
    private readonly declared: ReadonlySet<string>,
    warnings: Diagnostic[],
  ) {
    this.byName = new Map(nodes.map((n) => [n.name, n]));
    this.book = new AddressBook(map, diagnostics, warnings);
  }

  err(path: KeyPath, message: string, hint?: string): void {
    this.diagnostics.push(this.map.at(path, message, hint));
  }

  kindOf(node: string) {
    return this.byName.get(node)?.kind;
  }

  /** One link of topology.links: resolved by its type (brief links have none), kept with its labels and vars. */
  add(link: RawLink, i: number): void {
    const path: KeyPath = ["topology", "links", i];
    const meta: LinkMeta = {};
    if (link.mtu !== undefined) meta.mtuDeclared = true;
    if (link.labels && Object.keys(link.labels).length) meta.labels = link.labels;
    // Vars keep Go's types (ints stay ints) for templates.
    if (link.vars && Object.keys(link.vars).length)
      meta.vars = this.map.goValue([...path, "vars"]) as Record<string, unknown>;
    const at: LinkAt = {
      path,
      mtu: link.mtu ?? DEFAULT_MTU,
      addrs: (n, eps) =>
        endpointAddresses(
          link,
          eps,
          n,
          path,
          (p, m) => this.err(p, m),
          (p) => this.map.goValue(p),
        ),
    };
    const resolved =
      "type" in link ? (TYPED[link.type] as Typed[keyof Typed])(this, link as never, at) : briefLink(this, link, at);
    if (!resolved) return;
    this.links.push({ ...resolved, ...meta });
    this.book.add(resolved, path);
  }

  /** One end: the node known, its NOS interface name mapped to Linux's, used once, not the management one. */
  endpoint(
    ep: RawEndpoint | { node: string; iface: string },
    path: KeyPath,
    addr: EndpointAddresses = {},
  ): Endpoint | undefined {
    const rawIface = "interface" in ep ? ep.interface : ep.iface;
    const node = this.byName.get(ep.node);
    // A node that is declared but failed to resolve has its own error already.
    if (!node && this.declared.has(ep.node)) return undefined;
    if (!node) {
      const near = closest(ep.node, this.declared);
      this.err(
        path,
        `link endpoint "${ep.node}:${rawIface}" names unknown node "${ep.node}"`,
        near ? `did you mean "${near}"?` : `nodes: ${[...this.declared].join(", ")}`,
      );
      return undefined;
    }
    // A NOS name (ethernet-1/1, Gi2, 1/1/3, 1.1) becomes the Linux name the container uses.
    const rule = node.kind.role === "container" ? node.kind.interfaces : undefined;
    const mapped = rule ? rule.map(rawIface, { components: node.componentList ?? [] }) : rawIface;
    if (typeof mapped === "object") {
      this.err(path, `${ep.node}: ${mapped.error}`, `kind ${node.kind.name} takes ${rule?.help}`);
      return undefined;
    }
    const iface = mapped;
    const key = `${ep.node}:${iface}`;
    const previous = this.used.get(key);
    if (previous) {
      const line = this.map.locate(previous).line;
      this.err(
        path,
        `interface ${key} is used by more than one link`,
        `first used at ${line ? `line ${line}` : "another link"}`,
      );
      return undefined;
    }
    this.used.set(key, path);
    if (node.kind.role === "container" || node.kind.role === "external") {
      if ((iface === "eth0" || iface === "mgmt0") && node.networkMode !== "none")
        this.err(
          path,
          `${ep.node}:${iface} is the management interface`,
          "Use eth1 and up for links, or set network-mode: none",
        );
      if (node.networkMode === "host") this.err(path, `node ${ep.node} uses network-mode host and cannot have links`);
    }
    const out: Endpoint = { node: ep.node, iface, ...addr };
    if (iface !== rawIface) out.alias = rawIface;
    if ("mac" in ep && ep.mac) out.mac = ep.mac.toLowerCase().replaceAll("-", ":");
    return out;
  }
}

/** `endpoints: ["a:eth1", "b:eth1"]`: a veth, or a host/mgmt-net/macvlan link when one end names that pseudo-node. */
function briefLink(r: LinkResolver, link: RawBriefLink, at: LinkAt): LinkModel | undefined {
  const [a, b] = link.endpoints.map(splitEndpoint) as [
    { node: string; iface: string },
    { node: string; iface: string },
  ];
  const [aa, ba] = at.addrs(2, []);
  const special = [a, b].find((e) => SPECIAL.has(e.node));
  if (special) {
    const other = special === a ? b : a;
    const otherIndex = special === a ? 1 : 0;
    if (SPECIAL.has(other.node)) {
      r.err(at.path, "a link needs at least one lab node");
      return undefined;
    }
    const ep = r.endpoint(other, [...at.path, "endpoints", otherIndex], otherIndex === 0 ? aa : ba);
    if (!ep) return undefined;
    const far = otherIndex === 0 ? ba : aa;
    if (special.node === "macvlan")
      return { type: "macvlan", endpoint: ep, hostInterface: special.iface, mode: "bridge", mtu: at.mtu };
    return {
      type: special.node as "host" | "mgmt-net",
      endpoint: ep,
      hostInterface: special.iface,
      mtu: at.mtu,
      ...(far?.ipv4 || far?.ipv6 ? { hostAddresses: { ipv4: far.ipv4, ipv6: far.ipv6 } } : {}),
    };
  }
  const ea = r.endpoint(a, [...at.path, "endpoints", 0], aa);
  const eb = r.endpoint(b, [...at.path, "endpoints", 1], ba);
  // A kind may want its brief links stitched (SR-SIM: so pcap and netem see them on the host).
  const type = [a, b].some((e) => r.kindOf(e.node)?.briefLinkType === "veth-stitch") ? "veth-stitch" : "veth";
  return ea && eb ? { type, a: ea, b: eb, mtu: at.mtu } : undefined;
}

/** A single-ended link's one endpoint, with its addresses. */
const single = (r: LinkResolver, link: { endpoint: RawEndpoint }, at: LinkAt) =>
  r.endpoint(link.endpoint, [...at.path, "endpoint"], at.addrs(1, [link.endpoint])[0]);

/** Typed links (`type:`), one resolver per type, as Containerlab's link types are. */
const TYPED: Typed = {
  veth: vethLink,
  "veth-stitch": vethLink,
  host: (r, link, at) => {
    const ep = single(r, link, at);
    return ep && { type: link.type, endpoint: ep, hostInterface: link["host-interface"], mtu: at.mtu };
  },
  "mgmt-net": (r, link, at) => {
    const ep = single(r, link, at);
    return ep && { type: link.type, endpoint: ep, hostInterface: link["host-interface"], mtu: at.mtu };
  },
  macvlan: (r, link, at) => {
    const ep = single(r, link, at);
    return (
      ep && {
        type: "macvlan",
        endpoint: ep,
        hostInterface: link["host-interface"],
        mode: link.mode ?? "bridge",
        mtu: at.mtu,
      }
    );
  },
  dummy: (r, link, at) => {
    const ep = single(r, link, at);
    return ep && { type: "dummy", endpoint: ep, mtu: at.mtu };
  },
  vxlan: vxlanLink,
  "vxlan-stitch": vxlanLink,
};

function vethLink(r: LinkResolver, link: TypedOf<"veth" | "veth-stitch">, at: LinkAt): LinkModel | undefined {
  const [aa, ba] = at.addrs(2, link.endpoints);
  const ends = link.endpoints.map((e, n) => {
    if (link.type === "veth-stitch" && e.mac)
      r.err(
        [...at.path, "endpoints", n, "mac"],
        "a veth-stitch endpoint cannot set mac (the stitch is transparent at layer 2)",
        "Use a veth link to pin MAC addresses",
      );
    return r.endpoint(e, [...at.path, "endpoints", n], n === 0 ? aa : ba);
  });
  const [ea, eb] = ends;
  return ea && eb && !(link.type === "veth-stitch" && link.endpoints.some((e) => e.mac))
    ? { type: link.type, a: ea, b: eb, mtu: at.mtu }
    : undefined;
}

function vxlanLink(r: LinkResolver, link: TypedOf<"vxlan" | "vxlan-stitch">, at: LinkAt): LinkModel | undefined {
  const ep = single(r, link, at);
  if (!isIP(link.remote)) {
    r.err(
      [...at.path, "remote"],
      `vxlan remote "${link.remote}" is not an IPv4 or IPv6 address`,
      "Give the underlay address of the far host",
    );
    return undefined;
  }
  const role = r.kindOf(link.endpoint.node)?.role;
  if (ep && role !== "container" && role !== "external") {
    r.err([...at.path, "endpoint"], `a ${link.type} link must end in a container node, not ${ep.node}`);
    return undefined;
  }
  return (
    ep && {
      type: link.type,
      endpoint: ep,
      remote: link.remote,
      vni: link.vni,
      dstPort: link["dst-port"],
      srcPort: link["src-port"],
      parent: "parent-interface" in link ? link["parent-interface"] : undefined,
      mtu: link.mtu,
    }
  );
}
