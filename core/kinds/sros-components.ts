import { type Component, readComponents } from "./srsim-components.ts";

// vrnetlab SR OS (vSIM) with `components:` as Containerlab's nodes/vr_sros reads them: the launcher's
// --variant line (one CPM, then line cards, `___`-separated), and the ethN each port name maps to,
// counting the ports of every MDA before it from its type (m20-10gb-sfp+ has 20).

const isCpm = (slot: string) => slot === "" || slot === "A" || slot === "B";

/** Ports an MDA type has: the first number of each `+` group (m4-1g-tx+20-1g-sfp+6-10g-sfp+ → 30). */
export function mdaPortCount(type: string): number {
  let total = 0;
  for (const group of type.split("+")) {
    const m = /^[a-zA-Z]*(\d+)/.exec(group);
    if (m) total += Number(m[1]);
  }
  return total;
}

/** The card's NICs: its env's max_nics, else the ports of all its MDAs. */
function maxNics(c: Component): number {
  const n = Number.parseInt(c.env.max_nics?.trim() ?? "", 10);
  if (!Number.isNaN(n)) return n;
  return [...c.mda, ...c.xiom.flatMap((x) => x.mda)].reduce((sum, m) => sum + mdaPortCount(m.type), 0);
}

function timosLine(chassis: string, c: Component, sfm: string): string {
  const parts: string[] = [];
  if (c.env.cpu?.trim()) parts.push(`cpu=${c.env.cpu.trim()}`);
  if (c.env.ram?.trim()) parts.push(`ram=${c.env.ram.trim()}`);
  const nics = maxNics(c);
  if (nics > 0) parts.push(`max_nics=${nics}`);
  parts.push(`chassis=${chassis}`, `slot=${c.slot || "A"}`);
  if (c.sfm) parts.push(`sfm=${c.sfm}`);
  else if (sfm) parts.push(`sfm=${sfm}`);
  if (c.type) parts.push(`card=${c.type}`);
  for (const x of c.xiom) {
    parts.push(`xiom/x${x.slot}=${x.type ?? ""}`);
    for (const m of x.mda) parts.push(`mda/x${x.slot}/${m.slot}=${m.type}`);
  }
  for (const m of c.mda) parts.push(`mda/${m.slot}=${m.type}`);
  return parts.join(" ");
}

/** More than one CPM: vSIM runs a single one. */
export function srosComponentsProblem(list: Record<string, unknown>[]): string | undefined {
  return readComponents(list).filter((c) => isCpm(c.slot)).length > 1
    ? "kind nokia_sros (vSIM) only supports a single CPM card, found multiple defined"
    : undefined;
}

/** The launcher's --variant: the node type alone, or the components' TiMOS lines (buildSrosVariant). */
export function srosVariant(chassis: string, raw: Record<string, unknown>[], env: Record<string, string>): string {
  const list = readComponents(raw);
  if (!list.length) return chassis;
  const sfm = env.NOKIA_SROS_SFM?.trim() ?? "";
  const distributed = list.length > 1 || list.some((c) => !isCpm(c.slot));
  if (!distributed) return timosLine(chassis, list[0] as Component, sfm);
  return [
    ...list.filter((c) => isCpm(c.slot)).map((c) => `cp: ${timosLine(chassis, c, sfm)}`),
    ...list.filter((c) => !isCpm(c.slot)).map((c) => `lc: ${timosLine(chassis, c, sfm)}`),
  ].join(" ___ ");
}

/** Where a port sits among the card's NICs: the ports of the MDAs (then XIOM MDAs) before its MDA. */
function withinCard(c: Component, xiom: number, mda: number): number | string {
  if (!c.mda.length && !c.xiom.length) return 0;
  let offset = 0;
  for (const m of [...c.mda].sort((a, b) => a.slot - b.slot)) {
    if (!xiom && m.slot === mda) return offset;
    offset += mdaPortCount(m.type);
  }
  for (const x of [...c.xiom].sort((a, b) => a.slot - b.slot))
    for (const m of [...x.mda].sort((a, b) => a.slot - b.slot)) {
      if ((xiom ? x.slot === xiom : true) && m.slot === mda) return offset;
      offset += mdaPortCount(m.type);
    }
  return `mda ${mda} (xiom ${xiom}) is not present in the slot ${c.slot} card`;
}

/**
 * The NIC index of slot/[xX/]mda/[cC/]port on a node with components (componentInterfaceIndex): the
 * NICs of the line cards before its slot, then its place on the card. An error for a slot with no
 * card or an MDA the card lacks.
 */
export function componentPortIndex(
  raw: Record<string, unknown>[],
  name: string,
  p: { slot: number; xiom: number; mda: number; port: number },
): number | string {
  const list = readComponents(raw);
  const lcs = list.filter((c) => !isCpm(c.slot)).sort((a, b) => Number(a.slot) - Number(b.slot));
  let base = 0;
  let target: Component | undefined;
  if (!lcs.length) {
    if (p.slot !== 1)
      return `interface "${name}" references slot ${p.slot}, but integrated node only has data ports on slot 1`;
    target = list[0];
  } else
    for (const c of lcs) {
      if (Number(c.slot) === p.slot) {
        target = c;
        break;
      }
      base += maxNics(c);
    }
  if (!target) return `interface "${name}" references slot ${p.slot} which has no line card component`;
  const within = withinCard(target, p.xiom, p.mda);
  if (typeof within === "string") return `interface "${name}": ${within}`;
  return base + within + p.port;
}
