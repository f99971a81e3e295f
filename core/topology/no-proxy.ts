// Containerlab sets no_proxy and NO_PROXY in every node (core/config.go addEnvVarsToNodeCfg) so a
// proxy configured for the lab's nodes is bypassed for the lab itself: the loopbacks, *.local, every
// node's name and static management address, and the management subnets.

const DEFAULTS = ["localhost", "127.0.0.1", "::1", "*.local"];

/** What every node's value ends with: node names, static addresses and subnets, sorted as Go sorts strings. */
export function noProxyEntries(
  nodes: Record<string, { "mgmt-ipv4"?: string; "mgmt-ipv6"?: string } | null | undefined>,
  mgmt: { ipv4Subnet?: string; ipv6Subnet?: string },
): string[] {
  const list: string[] = [];
  for (const [name, cfg] of Object.entries(nodes)) {
    list.push(name);
    if (cfg?.["mgmt-ipv4"]) list.push(cfg["mgmt-ipv4"]);
    if (cfg?.["mgmt-ipv6"]) list.push(cfg["mgmt-ipv6"]);
  }
  if (mgmt.ipv4Subnet) list.push(mgmt.ipv4Subnet);
  if (mgmt.ipv6Subnet) list.push(mgmt.ipv6Subnet);
  // Byte order, as Go's sort.Strings (the entries are ASCII, so code-unit order is the same).
  return list.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The node's own no_proxy (or NO_PROXY) with the defaults it lacks, then the lab's entries (joined
 * once for the lab: on 1,000 nodes each value holds every node's name).
 */
export function noProxyValue(env: Record<string, string>, entries: string): string {
  const own = env.no_proxy ?? env.NO_PROXY;
  let value = own ?? DEFAULTS.join(",");
  if (own !== undefined) for (const d of DEFAULTS) if (!value.includes(d)) value += `,${d}`;
  return `${value},${entries}`;
}
