// An SR-SIM node's `components:` as Containerlab's nodes/sros lays them out. An integrated chassis
// (SR-1, IXR-e2, …) or a node with at most one component is one container whose component is given
// by NOKIA_SROS_* variables; any other chassis with several components is distributed: one container
// per card, all in the network namespace of the first one created. The same table gives the card
// and MDA lines of the default configuration.

interface Mda {
  slot: number;
  type: string;
}

/** A `components:` entry as the topology writes it. */
export interface Component {
  slot: string;
  type?: string;
  sfm?: string;
  mda: Mda[];
  xiom: { slot: number; type?: string; mda: Mda[] }[];
  env: Record<string, string>;
}

/** The cards an integrated chassis has without being told, and the slots its CPM may take. */
const INTEGRATED: Record<string, { card: string; mdas: Mda[]; slots: string[] }> = {
  "sr-1": {
    card: "iom-1",
    slots: ["A"],
    mdas: [
      { slot: 1, type: "me6-100gb-qsfp28" },
      { slot: 2, type: "me12-100gb-qsfp28" },
    ],
  },
  "sr-1s": { card: "xcm-1s", slots: ["A"], mdas: [{ slot: 1, type: "s36-100gb-qsfp28" }] },
  "ixr-r6": { card: "iom-ixr-r6", slots: ["A", "B"], mdas: [{ slot: 1, type: "m6-10g-sfp++1-100g-qsfp28" }] },
  "ixr-e2": {
    card: "imm2-qsfpdd+2-qsfp28+24-sfp28",
    slots: ["A"],
    mdas: [{ slot: 1, type: "m2-qsfpdd+2-qsfp28+24-sfp28" }],
  },
  "ixr-e2c": { card: "imm12-sfp28+2-qsfp28", slots: ["A"], mdas: [{ slot: 1, type: "m12-sfp28+2-qsfp28" }] },
  "ixr-e2n": { card: "imm4-sfp+4-sfp+", slots: ["A"], mdas: [{ slot: 1, type: "m4-sfp+4-sfp+" }] },
  "ixr-e2n-s": { card: "imm4-sfp+4-sfp+-s", slots: ["A"], mdas: [{ slot: 1, type: "m4-sfp+4-sfp+-s" }] },
  "ixr-e3c": {
    card: "imm4-qsfp28+16-sfp28+8-sfp56",
    slots: ["A"],
    mdas: [{ slot: 1, type: "m4-qsfp28+16-sfp28+8-sfp56" }],
  },
  "ixr-e3x": {
    card: "imm16-sfp112+15-sfp56+6-qsfpdd",
    slots: ["A"],
    mdas: [{ slot: 1, type: "m16-sfp112+15-sfp56+6-qsfpdd" }],
  },
  "ixr-ec": {
    card: "imm4-1g-tx+20-1g-sfp+6-10g-sfp+",
    slots: ["A"],
    mdas: [{ slot: 1, type: "m4-1g-tx+20-1g-sfp+6-10g-sfp+" }],
  },
};

/** Power shelves and modules (dc) of chassis that need them configured. */
const POWER: Record<string, { modules: number; shelves: number }> = {
  "sr-1s": { modules: 4, shelves: 1 },
  "sr-1se": { modules: 4, shelves: 1 },
  "sr-2s": { modules: 4, shelves: 1 },
  "sr-2se": { modules: 4, shelves: 1 },
  "sr-7s": { modules: 10, shelves: 2 },
  "sr-14s": { modules: 10, shelves: 2 },
};

const canonical = (type: string) => type.trim().toLowerCase();
export const isIntegrated = (type: string) => canonical(type) in INTEGRATED;
const isCpmSlot = (slot: string) => slot === "A" || slot === "B";

/** The topology's entries, read loosely as Containerlab's YAML decoding does; slots upper-cased. */
export function readComponents(list: Record<string, unknown>[]): Component[] {
  const mdas = (x: unknown): Mda[] =>
    Array.isArray(x)
      ? x.map((m: Record<string, unknown>) => ({ slot: Number(m.slot ?? 0), type: String(m.type ?? "") }))
      : [];
  return list.map((c) => ({
    slot: String(c.slot ?? "")
      .trim()
      .toUpperCase(),
    type: c.type === undefined ? undefined : String(c.type),
    sfm: c.sfm === undefined ? undefined : String(c.sfm),
    mda: mdas(c.mda),
    xiom: Array.isArray(c.xiom)
      ? c.xiom.map((x: Record<string, unknown>) => ({
          slot: Number(x.slot ?? 0),
          type: x.type === undefined ? undefined : String(x.type),
          mda: mdas(x.mda),
        }))
      : [],
    env: Object.fromEntries(
      Object.entries((c.env as Record<string, unknown> | undefined) ?? {}).map(([k, v]) => [k, String(v)]),
    ),
  }));
}

/** Containerlab's isDistributedBaseNode: several components on a chassis that is not integrated. */
export const isDistributed = (type: string, components: Component[]) => !isIntegrated(type) && components.length > 1;

/**
 * A standalone node's one component as its variables (setupStandaloneComponents): the slot (A when
 * none), the card unless the chassis has one slot and a fixed card, the MDAs, and its own env.
 */
export function standaloneEnv(name: string, type: string, c: Component | undefined): Record<string, string> | string {
  if (!c) return {};
  const slot = c.slot || "A";
  const allowed = INTEGRATED[canonical(type)]?.slots ?? ["A"];
  if (!allowed.includes(slot))
    return `expected no slot, or slot ${allowed.join("/")} for components of standalone SR-SIM node "${name}"`;
  const vars: Record<string, string> = { NOKIA_SROS_SLOT: slot };
  if (c.type) {
    if (isIntegrated(type) && allowed.length === 1)
      return `node "${name}" type "${type}" is integrated and does not support component card-type override`;
    vars.NOKIA_SROS_CARD = c.type;
  }
  for (const m of c.mda) vars[`NOKIA_SROS_MDA_${m.slot}`] = m.type;
  return { ...vars, ...c.env };
}

/** Containerlab's sortComponents: line cards by number, then CPM B, then A (the preferred CPM last). */
export function sortComponents(list: Component[]): Component[] {
  const order = (slot: string) => (/^[A-Z]/.test(slot) ? 100 - slot.charCodeAt(0) : Number.parseInt(slot, 10));
  return [...list].sort((a, b) => order(a.slot) - order(b.slot));
}

/** One card's variables in a distributed chassis (setComponentEnvVars), over its own env. */
export function componentEnv(c: Component): Record<string, string> {
  const vars: Record<string, string> = { ...c.env };
  if (c.type) vars.NOKIA_SROS_CARD = c.type;
  if (c.sfm) vars.NOKIA_SROS_SFM = c.sfm;
  for (const x of c.xiom) {
    vars[`NOKIA_SROS_XIOM_X${x.slot}`] = x.type ?? "";
    for (const m of x.mda) vars[`NOKIA_SROS_MDA_X${x.slot}_${m.slot}`] = m.type;
  }
  for (const m of c.mda) vars[`NOKIA_SROS_MDA_${m.slot}`] = m.type;
  vars.NOKIA_SROS_SLOT = c.slot;
  return vars;
}

/** Why a distributed layout cannot be deployed (duplicate slots, no CPM), or undefined. */
export function distributedProblem(name: string, list: Component[]): string | undefined {
  const seen = new Set<string>();
  for (const c of list) {
    if (!c.slot) return `node ${name}: every component of a distributed SR-SIM needs a slot`;
    if (seen.has(c.slot)) return `node ${name} slot ${c.slot} duplicate definition`;
    seen.add(c.slot);
  }
  if (!seen.has("A") && !seen.has("B")) return `node ${name}: unable to determine default slot (no CPM in slot A or B)`;
  return undefined;
}

/** Power shelves and modules for chassis that need them (generatePowerConfig). */
function powerLines(type: string): string[] {
  const p = POWER[canonical(type)];
  if (!p) return [];
  const base = "/configure chassis router chassis-number 1";
  const out: string[] = [];
  for (let s = 1; s <= p.shelves; s++) {
    out.push(`${base} power-shelf ${s} power-shelf-type ps-a${p.modules}-shelf-dc`);
    for (let m = 1; m <= p.modules; m++)
      out.push(`${base} power-shelf ${s} power-module ${m} power-module-type ps-a-dc-6000`);
  }
  return out;
}

/**
 * The card, SFM, XIOM and MDA lines of the default model-driven configuration
 * (generateComponentConfig): the line cards of a distributed chassis, or an integrated chassis's
 * fixed card and MDAs with the node's NOKIA_SROS_CARD/MDA_n over them; then power, when there are
 * cards. Nothing with CLAB_SROS_DISABLE_COMPONENT_CONFIG set or for a standalone chassis that is not
 * integrated (its cards are the simulator's business).
 */
export function componentConfig(
  type: string,
  env: Record<string, string>,
  distributed: Component[] | undefined,
): string[] {
  if ("CLAB_SROS_DISABLE_COMPONENT_CONFIG" in env) return [];
  const lines: string[] = [];
  if (distributed) {
    for (const c of distributed) {
      if (isCpmSlot(c.slot) || !c.type) continue;
      lines.push(`/configure card ${c.slot} card-type ${c.type} admin-state enable`);
      if (c.sfm) lines.push(`/configure sfm ${c.slot} sfm-type ${c.sfm} admin-state enable`);
      for (const x of c.xiom) {
        if (x.type) lines.push(`/configure card ${c.slot} xiom x${x.slot} xiom-type ${x.type} admin-state enable`);
        for (const m of x.mda)
          if (m.type)
            lines.push(`/configure card ${c.slot} xiom x${x.slot} mda ${m.slot} mda-type ${m.type} admin-state enable`);
      }
      for (const m of c.mda)
        if (m.type) lines.push(`/configure card ${c.slot} mda ${m.slot} mda-type ${m.type} admin-state enable`);
    }
  } else {
    const fixed = INTEGRATED[canonical(type)];
    if (!fixed) return [];
    const card = env.NOKIA_SROS_CARD?.trim() || fixed.card;
    const mdas = new Map(fixed.mdas.map((m) => [m.slot, m.type]));
    for (const [k, v] of Object.entries(env)) {
      const slot = /^NOKIA_SROS_MDA_(\d+)$/.exec(k)?.[1];
      if (slot && Number(slot) > 0 && v.trim()) mdas.set(Number(slot), v.trim());
    }
    lines.push(`/configure card 1 card-type ${card} admin-state enable`);
    for (const [slot, mda] of [...mdas].sort((a, b) => a[0] - b[0]))
      lines.push(`/configure card 1 mda ${slot} mda-type ${mda} admin-state enable`);
  }
  const power = powerLines(type);
  return lines.length || power.length ? [...lines, ...power] : [];
}
