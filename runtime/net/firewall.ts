import type { Platform } from "../platform/types.ts";

/** Docker's chain for user rules; the management bridge's rules go there. */
const DOCKER_USER = "DOCKER-USER";
const COMMENT = "set by lab";

const rules = (bridge: string) => [
  ["-i", bridge, "-j", "ACCEPT", "-m", "comment", "--comment", COMMENT],
  ["-o", bridge, "-j", "ACCEPT", "-m", "comment", "--comment", COMMENT],
];

/**
 * Lets hosts outside reach the lab's management bridge: ACCEPT in and out of it in DOCKER-USER, as
 * Containerlab does for `external-access` (Docker 28 otherwise drops routed traffic to containers).
 * Skipped quietly where iptables or Docker's chain is missing; returns what was added.
 */
export async function allowBridge(
  platform: Platform,
  bridge: string,
  ipv6: boolean,
  chain: string = DOCKER_USER,
): Promise<string[]> {
  const added: string[] = [];
  for (const tool of ipv6 ? ["iptables", "ip6tables"] : ["iptables"]) {
    for (const rule of rules(bridge)) {
      const check = await platform.run([tool, "-w", "-C", chain, ...rule]).catch(() => undefined);
      if (!check) return added;
      // 0: already there; 1: absent; anything else (no chain, no permission): leave the firewall alone.
      if (check.code === 0) continue;
      if (check.code !== 1) break;
      const insert = await platform.run([tool, "-w", "-I", chain, ...rule]);
      if (insert.code === 0) added.push(`${tool} ${rule.slice(0, 2).join(" ")}`);
    }
  }
  return added;
}

/** Removes the rules allowBridge added for `bridge`, from either chain. */
export async function disallowBridge(platform: Platform, bridge: string): Promise<void> {
  for (const tool of ["iptables", "ip6tables"])
    for (const chain of [DOCKER_USER, "FORWARD"])
      for (const rule of rules(bridge))
        for (let i = 0; i < 4; i++) {
          const r = await platform.run([tool, "-w", "-D", chain, ...rule]).catch(() => undefined);
          if (!r || r.code !== 0) break;
        }
}

/**
 * Where a `kind: bridge` node's ACCEPT rules go, as Containerlab's firewall clients put them: its
 * nftables client (chosen wherever nf_tables is the backend, Debian 12 on) adds them to FORWARD,
 * its iptables client to DOCKER-USER.
 */
export async function bridgeChain(platform: Platform): Promise<string> {
  const version = await platform.run(["iptables", "-V"]).catch(() => undefined);
  return version && new TextDecoder().decode(version.stdout).includes("nf_tables") ? "FORWARD" : DOCKER_USER;
}

/** Lets LLDP (01:80:c2:00:00:0e) cross the management bridge, which Linux bridges drop by default. */
export async function forwardLldp(platform: Platform, bridge: string): Promise<void> {
  const file = `/sys/class/net/${bridge}/bridge/group_fwd_mask`;
  if (await platform.exists(file)) await platform.writeText(file, "16384").catch(() => {});
}
