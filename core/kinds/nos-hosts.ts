import type { RunningNode } from "./types.ts";

/**
 * The lab's nodes for a NOS's own /etc/hosts, between Containerlab's markers (SR Linux and SR-SIM
 * manage through a namespace the engine's DNS does not serve).
 */
export function nosHostsBlock(peers: NonNullable<RunningNode["peers"]>): string {
  const v4 = peers.filter((p) => p.ipv4).map((p) => `${p.ipv4}\t${p.name}`);
  const v6 = peers.filter((p) => p.ipv6).map((p) => `${p.ipv6}\t${p.name}`);
  return [
    "",
    "###### CLAB-v4-START ######",
    ...v4,
    "###### CLAB-v4-END ######",
    "",
    "###### CLAB-v6-START ######",
    ...v6,
    "###### CLAB-v6-END ######",
    "",
  ].join("\n");
}
