// `ip -o -d link show` and `ip -o -d monitor link` print one line per interface (segments joined
// by a backslash); this reads what Containerlab's netlink snapshot holds from one.

export interface IfaceSnapshot {
  index: number;
  name: string;
  alias: string;
  mtu: number;
  mac: string;
  /** Operational state as netlink names it, lower case: up, down, lowerlayerdown, unknown… */
  state: string;
  /** The link kind (veth, vxlan, bridge…), "device" when it has none (lo, a NIC). */
  type: string;
}

export interface LinkLine extends IfaceSnapshot {
  deleted: boolean;
}

const HEAD = /^(Deleted )?(\d+): ([^:@\s]+)(?:@[^:\s]*)?: <[^>]*>(.*)$/;
// Words that open a details segment but are not a link kind.
const NOT_KINDS = new Set(["alias", "altname", "vf", "prop", "link-netns", "link-netnsid"]);

export function parseLinkLine(line: string): LinkLine | undefined {
  const segments = line.split("\\").map((s) => s.trim());
  const m = HEAD.exec(segments[0] ?? "");
  if (!m) return undefined;
  const rest = m[4] ?? "";
  const linkSeg = segments.find((s) => s.startsWith("link/")) ?? "";
  const mac = /^link\/\S+ ([0-9a-f]{2}(?::[0-9a-f]{2})+)/.exec(linkSeg)?.[1] ?? "";
  const after = segments.slice(segments.indexOf(linkSeg) + 1);
  const kindWord = linkSeg ? after[0]?.split(/\s+/)[0] : undefined;
  const type = kindWord && /^[a-z][a-z0-9_]*$/.test(kindWord) && !NOT_KINDS.has(kindWord) ? kindWord : "device";
  const alias = after.find((s) => s.startsWith("alias "))?.slice(6) ?? "";
  return {
    deleted: !!m[1],
    index: Number(m[2]),
    name: m[3] as string,
    alias,
    mtu: Number(/\bmtu (\d+)/.exec(rest)?.[1] ?? 0),
    mac,
    state: (/\bstate (\S+)/.exec(rest)?.[1] ?? "unknown").toLowerCase(),
    type,
  };
}

export const sameSnapshot = (a: IfaceSnapshot, b: IfaceSnapshot) =>
  a.index === b.index &&
  a.name === b.name &&
  a.alias === b.alias &&
  a.mtu === b.mtu &&
  a.mac === b.mac &&
  a.state === b.state &&
  a.type === b.type;
