import { createHash } from "node:crypto";

const hex = (b: number) => b.toString(16).padStart(2, "0");

/**
 * A Nokia chassis base MAC: <first>:<per-lab byte>:<node index>:00:00:00, as Containerlab's genMac
 * makes them for SR Linux (1a) and SR-SIM (1c). Containerlab draws the lab byte at random; here it
 * is derived from the lab's name, so a redeploy or an apply sees the same MAC.
 */
export function chassisBaseMac(first: string, lab: string, index: number): string {
  const b = createHash("sha256").update(`${lab}\0${first}-base-mac`).digest()[0] as number;
  return `${first}:${hex(b)}:${hex(index % 256)}:00:00:00`;
}

/** A MAC under `oui` that stays the same for a node across deploys (so apply sees no change). */
export function stableMac(oui: string, lab: string, node: string): string {
  const h = createHash("sha256").update(`${lab}\0${node}\0mgmt-mac`).digest();
  return [oui, ...[...h.subarray(0, 3)].map(hex)].join(":");
}
