import { isIP } from "node:net";
import { closest, type Diagnostic, type KeyPath, type SourceMap } from "./diagnostics.ts";
import { AddressBook, type EndpointAddresses, endpointAddresses } from "./link-addresses.ts";
import { DEFAULT_MTU, type Endpoint, type LinkMeta, type LinkModel, type NodeModel } from "./model.ts";
import type { RawEndpoint, RawLink } from "./schema.ts";

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
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const used = new Map<string, KeyPath>();
  const links: LinkModel[] = [];
  const err = (path: KeyPath, message: string, hint?: string) => diagnostics.push(map.at(path, message, hint));
  const book = new AddressBook(map, diagnostics, warnings);

  const endpoint = (
    ep: RawEndpoint | { node: string; iface: string },
    path: KeyPath,
    addr: EndpointAddresses = {},
  ): Endpoint | undefined => {
    const rawIface = "interface" in ep ? ep.interface : ep.iface;
    const node = byName.get(ep.node);
    // A node that is declared but failed to resolve has its own error already.
    if (!node && declared.has(ep.node)) return undefined;
    if (!node) {
      const near = closest(ep.node, declared);
      err(
        path,
        `link endpoint "${ep.node}:${rawIface}" names unknown node "${ep.node}"`,
        near ? `did you mean "${near}"?` : `nodes: ${[...declared].join(", ")}`,
      );
      return undefined;
    }
    // A NOS name (ethernet-1/1, Gi2, 1/1/3, 1.1) becomes the Linux name the container uses.
    const rule = node.kind.role === "container" ? node.kind.interfaces : undefined;
    const mapped = rule ? rule.map(rawIface, { components: node.componentList ?? [] }) : rawIface;
    if (typeof mapped === "object") {
      err(path, `${ep.node}: ${mapped.error}`, `kind ${node.kind.name} takes ${rule?.help}`);
      return undefined;
    }
    const iface = mapped;
    const key = `${ep.node}:${iface}`;
    const previous = used.get(key);
    if (previous) {
      err(
        path,
        `interface ${key} is used by more than one link`,
        `first used at ${map.locate(previous).line ? `line ${map.locate(previous).line}` : "another link"}`,
      );
      return undefined;
    }
    used.set(key, path);
    if (node.kind.role === "container" || node.kind.role === "external") {
      if ((iface === "eth0" || iface === "mgmt0") && node.networkMode !== "none") {
        err(
          path,
          `${ep.node}:${iface} is the management interface`,
          "Use eth1 and up for links, or set network-mode: none",
        );
      }
      if (node.networkMode === "host") err(path, `node ${ep.node} uses network-mode host and cannot have links`);
    }
    const out: Endpoint = { node: ep.node, iface, ...addr };
    if (iface !== rawIface) out.alias = rawIface;
    if ("mac" in ep && ep.mac) out.mac = ep.mac.toLowerCase().replaceAll("-", ":");
    return out;
  };

  raw.forEach((link, i) => {
    const path: KeyPath = ["topology", "links", i];
    const mtu = link.mtu ?? DEFAULT_MTU;
    const meta: LinkMeta = {};
    if (link.mtu !== undefined) meta.mtuDeclared = true;
    if (link.labels && Object.keys(link.labels).length) meta.labels = link.labels;
    // Vars keep Go's types (ints stay ints) for templates.
    if (link.vars && Object.keys(link.vars).length)
      meta.vars = map.goValue([...path, "vars"]) as Record<string, unknown>;
    const push = (l: LinkModel) => {
      links.push({ ...l, ...meta });
      book.add(l, path);
    };
    // Addresses given per link (ipv4: [a, b]) or per endpoint; the endpoint's own win.
    const addrs = (n: number, eps: (RawEndpoint | undefined)[]) =>
      endpointAddresses(
        link,
        eps,
        n,
        path,
        (p, m) => err(p, m),
        (p) => map.goValue(p),
      );

    if (!("type" in link)) {
      const [a, b] = link.endpoints.map(splitEndpoint) as [
        { node: string; iface: string },
        { node: string; iface: string },
      ];
      const [aa, ba] = addrs(2, []);
      const special = [a, b].find((e) => SPECIAL.has(e.node));
      if (special) {
        const other = special === a ? b : a;
        const otherIndex = special === a ? 1 : 0;
        if (SPECIAL.has(other.node)) {
          err(path, "a link needs at least one lab node");
          return;
        }
        const ep = endpoint(other, [...path, "endpoints", otherIndex], otherIndex === 0 ? aa : ba);
        if (!ep) return;
        const far = otherIndex === 0 ? ba : aa;
        if (special.node === "macvlan")
          push({ type: "macvlan", endpoint: ep, hostInterface: special.iface, mode: "bridge", mtu });
        else
          push({
            type: special.node as "host" | "mgmt-net",
            endpoint: ep,
            hostInterface: special.iface,
            mtu,
            ...(far?.ipv4 || far?.ipv6 ? { hostAddresses: { ipv4: far.ipv4, ipv6: far.ipv6 } } : {}),
          });
        return;
      }
      const ea = endpoint(a, [...path, "endpoints", 0], aa);
      const eb = endpoint(b, [...path, "endpoints", 1], ba);
      // A kind may want its brief links stitched (SR-SIM: so pcap and netem see them on the host).
      const type = [a, b].some((e) => byName.get(e.node)?.kind.briefLinkType === "veth-stitch")
        ? "veth-stitch"
        : "veth";
      if (ea && eb) push({ type, a: ea, b: eb, mtu });
      return;
    }
    switch (link.type) {
      case "veth":
      case "veth-stitch": {
        const [aa, ba] = addrs(2, link.endpoints);
        const ends = link.endpoints.map((e, n) => {
          if (link.type === "veth-stitch" && e.mac)
            err(
              [...path, "endpoints", n, "mac"],
              "a veth-stitch endpoint cannot set mac (the stitch is transparent at layer 2)",
              "Use a veth link to pin MAC addresses",
            );
          return endpoint(e, [...path, "endpoints", n], n === 0 ? aa : ba);
        });
        const [ea, eb] = ends;
        if (ea && eb && !(link.type === "veth-stitch" && link.endpoints.some((e) => e.mac)))
          push({ type: link.type, a: ea, b: eb, mtu });
        return;
      }
      case "host":
      case "mgmt-net": {
        const ep = endpoint(link.endpoint, [...path, "endpoint"], addrs(1, [link.endpoint])[0]);
        if (ep) push({ type: link.type, endpoint: ep, hostInterface: link["host-interface"], mtu });
        return;
      }
      case "macvlan": {
        const ep = endpoint(link.endpoint, [...path, "endpoint"], addrs(1, [link.endpoint])[0]);
        if (ep)
          push({
            type: "macvlan",
            endpoint: ep,
            hostInterface: link["host-interface"],
            mode: link.mode ?? "bridge",
            mtu,
          });
        return;
      }
      case "dummy": {
        const ep = endpoint(link.endpoint, [...path, "endpoint"], addrs(1, [link.endpoint])[0]);
        if (ep) push({ type: "dummy", endpoint: ep, mtu });
        return;
      }
      case "vxlan":
      case "vxlan-stitch": {
        const ep = endpoint(link.endpoint, [...path, "endpoint"], addrs(1, [link.endpoint])[0]);
        if (!isIP(link.remote)) {
          err(
            [...path, "remote"],
            `vxlan remote "${link.remote}" is not an IPv4 or IPv6 address`,
            "Give the underlay address of the far host",
          );
          return;
        }
        const role = byName.get(link.endpoint.node)?.kind.role;
        if (ep && role !== "container" && role !== "external") {
          err([...path, "endpoint"], `a ${link.type} link must end in a container node, not ${ep.node}`);
          return;
        }
        if (ep)
          push({
            type: link.type,
            endpoint: ep,
            remote: link.remote,
            vni: link.vni,
            dstPort: link["dst-port"],
            srcPort: link["src-port"],
            parent: "parent-interface" in link ? link["parent-interface"] : undefined,
            mtu: link.mtu,
          });
        return;
      }
    }
  });
  return links;
}
