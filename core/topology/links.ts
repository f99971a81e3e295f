import { isIP } from "node:net";
import { closest, type Diagnostic, type KeyPath, type SourceMap } from "./diagnostics.ts";
import { DEFAULT_MTU, type Endpoint, type LinkModel, type NodeModel } from "./model.ts";
import type { RawEndpoint, RawLink } from "./schema.ts";

// Pseudo-nodes a brief link may name instead of a lab node (Containerlab's special link nodes).
const SPECIAL = new Set(["host", "mgmt-net", "macvlan"]);
const IFNAMSIZ = 15;

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
): LinkModel[] {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const used = new Map<string, KeyPath>();
  const links: LinkModel[] = [];
  const err = (path: KeyPath, message: string, hint?: string) => diagnostics.push(map.at(path, message, hint));

  const endpoint = (ep: RawEndpoint | { node: string; iface: string }, path: KeyPath): Endpoint | undefined => {
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
    // A NOS name (ethernet-1/1, Gi2, 1/1/3) becomes the Linux name the container uses.
    const alias = node.kind.interfaceAlias?.(rawIface);
    if (alias && typeof alias === "object") {
      err(path, `${ep.node}: ${alias.error}`, `or use the Linux name (${node.kind.name} uses eth1, eth2, …)`);
      return undefined;
    }
    const iface = alias ?? rawIface;
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
      if (iface.length > IFNAMSIZ)
        err(path, `interface name "${iface}" is longer than ${IFNAMSIZ} characters (a Linux limit)`);
      if (node.kind.interfacePattern && !node.kind.interfacePattern.test(iface)) {
        err(
          path,
          `interface "${iface}" is not valid for kind ${node.kind.name}`,
          "VM-based kinds use eth1, eth2, …; eth0 is management",
        );
      }
      if (iface === "eth0" && node.networkMode !== "none") {
        err(
          path,
          `${ep.node}:eth0 is the management interface`,
          "Use eth1 and up for links, or set network-mode: none",
        );
      }
      if (node.networkMode === "host") err(path, `node ${ep.node} uses network-mode host and cannot have links`);
    }
    return { node: ep.node, iface, mac: "mac" in ep ? ep.mac?.toLowerCase().replaceAll("-", ":") : undefined };
  };

  raw.forEach((link, i) => {
    const path: KeyPath = ["topology", "links", i];
    const mtu = link.mtu ?? DEFAULT_MTU;
    if (!("type" in link)) {
      const [a, b] = link.endpoints.map(splitEndpoint) as [
        { node: string; iface: string },
        { node: string; iface: string },
      ];
      const special = [a, b].find((e) => SPECIAL.has(e.node));
      if (special) {
        const other = special === a ? b : a;
        const otherPath = [...path, "endpoints", special === a ? 1 : 0];
        if (SPECIAL.has(other.node)) {
          err(path, "a link needs at least one lab node");
          return;
        }
        const ep = endpoint(other, otherPath);
        if (!ep) return;
        if (special.node === "macvlan")
          links.push({ type: "macvlan", endpoint: ep, hostInterface: special.iface, mode: "bridge", mtu });
        else links.push({ type: special.node as "host" | "mgmt-net", endpoint: ep, hostInterface: special.iface, mtu });
        return;
      }
      const ea = endpoint(a, [...path, "endpoints", 0]);
      const eb = endpoint(b, [...path, "endpoints", 1]);
      if (ea && eb) links.push({ type: "veth", a: ea, b: eb, mtu });
      return;
    }
    switch (link.type) {
      case "veth": {
        const ea = endpoint(link.endpoints[0], [...path, "endpoints", 0]);
        const eb = endpoint(link.endpoints[1], [...path, "endpoints", 1]);
        if (ea && eb) links.push({ type: "veth", a: ea, b: eb, mtu });
        return;
      }
      case "host":
      case "mgmt-net": {
        const ep = endpoint(link.endpoint, [...path, "endpoint"]);
        if (ep) links.push({ type: link.type, endpoint: ep, hostInterface: link["host-interface"], mtu });
        return;
      }
      case "macvlan": {
        const ep = endpoint(link.endpoint, [...path, "endpoint"]);
        if (ep)
          links.push({
            type: "macvlan",
            endpoint: ep,
            hostInterface: link["host-interface"],
            mode: link.mode ?? "bridge",
            mtu,
          });
        return;
      }
      case "dummy": {
        const ep = endpoint(link.endpoint, [...path, "endpoint"]);
        if (ep) links.push({ type: "dummy", endpoint: ep, mtu });
        return;
      }
      case "veth-stitch": {
        const ends = link.endpoints.map((e, n) => {
          if (e.mac)
            err(
              [...path, "endpoints", n, "mac"],
              "a veth-stitch endpoint cannot set mac (the stitch is transparent at layer 2)",
              "Use a veth link to pin MAC addresses",
            );
          return endpoint(e, [...path, "endpoints", n]);
        });
        const [ea, eb] = ends;
        if (ea && eb && !link.endpoints.some((e) => e.mac)) links.push({ type: "veth-stitch", a: ea, b: eb, mtu });
        return;
      }
      case "vxlan":
      case "vxlan-stitch": {
        const ep = endpoint(link.endpoint, [...path, "endpoint"]);
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
          links.push({
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

  for (const l of links) {
    if ((l.type === "host" || l.type === "mgmt-net") && l.hostInterface.length > IFNAMSIZ) {
      diagnostics.push({
        file: map.file,
        path: [],
        message: `host interface name "${l.hostInterface}" is longer than ${IFNAMSIZ} characters`,
      });
    }
  }
  return links;
}
