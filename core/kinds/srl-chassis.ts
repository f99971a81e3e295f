// SR Linux chassis as the NOS reads them from /tmp/topology.yml: the chassis and CPM card types and
// each slot's card and MDA, per node type (facts from Containerlab's nodes/srl/topology/*.yml).

interface Chassis {
  chassis: number;
  cpm: number;
  slots: Record<string, { card_type: number; mda_type?: number }>;
}

const CHASSIS: Record<string, Chassis> = {
  "7215IXSA1": { chassis: 80, cpm: 196, slots: { "1": { card_type: 196, mda_type: 8 } } },
  "7220IXRD1": { chassis: 64, cpm: 175, slots: { "1": { card_type: 175, mda_type: 196 } } },
  "7220IXRD2": { chassis: 65, cpm: 176, slots: { "1": { card_type: 176, mda_type: 195 } } },
  "7220IXRD2L": { chassis: 72, cpm: 187, slots: { "1": { card_type: 187, mda_type: 208 } } },
  "7220IXRD3": { chassis: 66, cpm: 177, slots: { "1": { card_type: 177, mda_type: 194 } } },
  "7220IXRD3L": { chassis: 73, cpm: 188, slots: { "1": { card_type: 188, mda_type: 202 } } },
  "7220IXRD4": { chassis: 78, cpm: 189, slots: { "1": { card_type: 189, mda_type: 210 } } },
  "7220IXRD5": { chassis: 71, cpm: 190, slots: { "1": { card_type: 190, mda_type: 201 } } },
  "7220IXRH2": { chassis: 61, cpm: 179, slots: { "1": { card_type: 179, mda_type: 197 } } },
  "7220IXRH3": { chassis: 62, cpm: 178, slots: { "1": { card_type: 178, mda_type: 198 } } },
  "7220IXRH4-32D": { chassis: 84, cpm: 18, slots: { "1": { card_type: 18, mda_type: 25 } } },
  "7220IXRH4": { chassis: 79, cpm: 191, slots: { "1": { card_type: 191, mda_type: 211 } } },
  "7220IXRH5-32D": { chassis: 47, cpm: 180, slots: { "1": { card_type: 180, mda_type: 106 } } },
  "7220IXRH5-64D": { chassis: 85, cpm: 171, slots: { "1": { card_type: 171, mda_type: 18 } } },
  "7220IXRH5-64O": { chassis: 98, cpm: 157, slots: { "1": { card_type: 157, mda_type: 154 } } },
  "7220IXRH6": { chassis: 105, cpm: 85, slots: { "1": { card_type: 85, mda_type: 87 } } },
  "7250IXR10": { chassis: 43, cpm: 69, slots: { "1": { card_type: 127, mda_type: 36 } } },
  "7250IXR10e": { chassis: 69, cpm: 184, slots: { "1": { card_type: 182, mda_type: 199 } } },
  "7250IXR18e": { chassis: 70, cpm: 184, slots: { "1": { card_type: 33, mda_type: 13 } } },
  "7250IXR6": { chassis: 42, cpm: 69, slots: { "1": { card_type: 127, mda_type: 36 } } },
  "7250IXR6e": { chassis: 68, cpm: 184, slots: { "1": { card_type: 182, mda_type: 199 } } },
  "7250IXRX1b": { chassis: 82, cpm: 32, slots: { "1": { card_type: 32, mda_type: 19 } } },
  "7250IXRX3b": { chassis: 81, cpm: 27, slots: { "1": { card_type: 27, mda_type: 12 } } },
  "7250IXRX4-QSFP-DD": { chassis: 96, cpm: 60, slots: { "1": { card_type: 60, mda_type: 56 } } },
  "7730SXR-1-32d": { chassis: 52, cpm: 3, slots: { "1": { card_type: 3, mda_type: 28 } } },
  "7730SXR-1d-32d": { chassis: 54, cpm: 11, slots: { "1": { card_type: 11, mda_type: 201 } } },
  "7730SXR-1x-44s": { chassis: 51, cpm: 177, slots: { "1": { card_type: 2, mda_type: 40 } } },
};

/** Node types (`type:`) and the chassis each one is; both spellings Containerlab accepts. */
export const SRL_TYPES: Record<string, string> = {
  ixsa1: "7215IXSA1",
  "ixs-a1": "7215IXSA1",
  ixrd1: "7220IXRD1",
  "ixr-d1": "7220IXRD1",
  ixrd2: "7220IXRD2",
  "ixr-d2": "7220IXRD2",
  ixrd3: "7220IXRD3",
  "ixr-d3": "7220IXRD3",
  ixrd2l: "7220IXRD2L",
  "ixr-d2l": "7220IXRD2L",
  ixrd3l: "7220IXRD3L",
  "ixr-d3l": "7220IXRD3L",
  ixrd4: "7220IXRD4",
  "ixr-d4": "7220IXRD4",
  ixrd5: "7220IXRD5",
  "ixr-d5": "7220IXRD5",
  ixrh2: "7220IXRH2",
  "ixr-h2": "7220IXRH2",
  ixrh3: "7220IXRH3",
  "ixr-h3": "7220IXRH3",
  ixrh4: "7220IXRH4",
  "ixr-h4": "7220IXRH4",
  ixrh432d: "7220IXRH4-32D",
  "ixr-h4-32d": "7220IXRH4-32D",
  ixrh532d: "7220IXRH5-32D",
  "ixr-h5-32d": "7220IXRH5-32D",
  ixrh564d: "7220IXRH5-64D",
  "ixr-h5-64d": "7220IXRH5-64D",
  ixrh564o: "7220IXRH5-64O",
  "ixr-h5-64o": "7220IXRH5-64O",
  ixrh6: "7220IXRH6",
  "ixr-h6": "7220IXRH6",
  ixr6: "7250IXR6",
  "ixr-6": "7250IXR6",
  ixr6e: "7250IXR6e",
  "ixr-6e": "7250IXR6e",
  ixr10: "7250IXR10",
  "ixr-10": "7250IXR10",
  ixr10e: "7250IXR10e",
  "ixr-10e": "7250IXR10e",
  ixr18e: "7250IXR18e",
  "ixr-18e": "7250IXR18e",
  sxr1x44s: "7730SXR-1x-44s",
  "sxr-1x-44s": "7730SXR-1x-44s",
  sxr1d32d: "7730SXR-1d-32d",
  "sxr-1d-32d": "7730SXR-1d-32d",
  "sxr-1-32d": "7730SXR-1-32d",
  ixrx1b: "7250IXRX1b",
  "ixr-x1b": "7250IXRX1b",
  ixrx3b: "7250IXRX3b",
  "ixr-x3b": "7250IXRX3b",
  "ixr-x4": "7250IXRX4-QSFP-DD",
  "ixr-x4-d": "7250IXRX4-QSFP-DD",
};

/** /tmp/topology.yml for a node type, with the chassis base MAC (lab's YAML; SR Linux's keys). */
export function srlTopology(type: string, mac: string): string {
  const c = CHASSIS[SRL_TYPES[type] as string] as Chassis;
  const slots = Object.entries(c.slots)
    .map(
      ([n, s]) =>
        `  ${n}:\n    "card_type": ${s.card_type}${s.mda_type !== undefined ? `\n    "mda_type": ${s.mda_type}` : ""}`,
    )
    .join("\n");
  return `# Written by lab: the chassis SR Linux emulates for this node.
chassis_configuration:
  "chassis_type": ${c.chassis}
  "base_mac": "${mac}"
  "cpm_card_type": ${c.cpm}

slot_configuration:
${slots}
`;
}
