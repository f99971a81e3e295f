import { findKind, KINDS } from "../../kinds/index.ts";
import type { KindDef } from "../../kinds/types.ts";
import type { LabModel } from "../../topology/model.ts";

// The interface name the editor proposes for a new link end: the NOS's own form where the kind
// has one (as Containerlab's docs and its `generate` write them), else ethN; the first N whose
// name, and the Linux name it maps to, the node does not use yet. Every proposal is checked with
// the kind's own naming rule (core/kinds), so a proposal the rule refuses falls back to ethN.

const FORMATS: Record<string, (n: number) => string> = {
  nokia_srlinux: (n) => `e1-${n}`,
  nokia_srsim: (n) => `1/1/${n}`,
  nokia_sros: (n) => `1/1/${n}`,
  cisco_xrd: (n) => `Gi0-0-0-${n - 1}`,
  cisco_xrv: (n) => `Gi0/0/0/${n - 1}`,
  cisco_xrv9k: (n) => `Gi0/0/0/${n - 1}`,
  cisco_c8000: (n) => `Hu0_0_0_${n - 1}`,
  cisco_csr1000v: (n) => `Gi${n + 1}`,
  cisco_c8000v: (n) => `Gi${n + 1}`,
  cisco_cat9kv: (n) => `Gi1/0/${n}`,
  cisco_n9kv: (n) => `Ethernet1/${n}`,
  cisco_iol: (n) => `Ethernet0/${n}`,
  cumulus_cvx: (n) => `swp${n}`,
  nvidia_cumulusvx: (n) => `swp${n}`,
  arrcus_arcos: (n) => `swp${n}`,
  juniper_vmx: (n) => `ge-0/0/${n - 1}`,
  juniper_vsrx: (n) => `ge-0/0/${n - 1}`,
  juniper_vqfx: (n) => `xe-0/0/${n - 1}`,
  juniper_vjunosrouter: (n) => `ge-0/0/${n - 1}`,
  juniper_vjunosswitch: (n) => `ge-0/0/${n - 1}`,
  juniper_vjunosevolved: (n) => `et-0/0/${n - 1}`,
  juniper_cjunosevolved: (n) => `et-0/0/${n - 1}`,
  spirent_stc: (n) => `port${n}`,
};

const eth = (n: number) => `eth${n}`;
const MAX_PORTS = 512;

/** The Linux name a NOS name maps to under the kind's rule, or undefined when the rule refuses it. */
function linuxName(kind: KindDef | undefined, name: string): string | undefined {
  const mapped = kind?.interfaces ? kind.interfaces.map(name) : name;
  return typeof mapped === "string" ? mapped : undefined;
}

/** The name for `n`: the kind's form when its rule takes it, else ethN. */
export function interfaceName(kindName: string, n: number): string {
  const kind = findKind(kindName);
  const own = FORMATS[kind?.name ?? kindName]?.(n);
  return own !== undefined && linuxName(kind, own) !== undefined ? own : eth(n);
}

/** The first free interface of a node, given the names (NOS and Linux) it already uses. */
export function nextInterface(kindName: string, used: Iterable<string>): string {
  const kind = findKind(kindName);
  const taken = new Set(used);
  for (let n = 1; n <= MAX_PORTS; n++) {
    const name = interfaceName(kindName, n);
    const linux = linuxName(kind, name);
    if (!taken.has(name) && (linux === undefined || !taken.has(linux))) return name;
  }
  return eth(MAX_PORTS + 1);
}

/** The interface names each node of the lab uses (as written, and as Linux names). */
export function usedInterfaces(lab: LabModel): Map<string, Set<string>> {
  const used = new Map(lab.nodes.map((n) => [n.name, new Set<string>()]));
  for (const link of lab.links)
    for (const end of "a" in link ? [link.a, link.b] : [link.endpoint]) {
      const set = used.get(end.node);
      set?.add(end.iface);
      if (end.alias) set?.add(end.alias);
    }
  return used;
}

/** Images as the NOS vendors and Containerlab's docs name them, for a kind the lab does not use yet. */
const DOCUMENTED_IMAGES: Record<string, string> = {
  nokia_srlinux: "ghcr.io/nokia/srlinux",
  arista_ceos: "ceos:latest",
  juniper_crpd: "crpd:latest",
  cisco_xrd: "ios-xr/xrd-control-plane:latest",
  sonic_vs: "docker-sonic-vs:latest",
  linux: "alpine:latest",
};

/** What the editor offers for a new node: every kind lab knows, by name, with its first interface and image. */
export function editorKinds(): { kind: string; interface: string; image?: string }[] {
  return KINDS.filter((k) => k.role !== "skip")
    .map((k) => ({
      kind: k.name,
      interface: interfaceName(k.name, 1),
      ...(DOCUMENTED_IMAGES[k.name] ? { image: DOCUMENTED_IMAGES[k.name] } : {}),
    }))
    .sort((a, b) => a.kind.localeCompare(b.kind));
}
