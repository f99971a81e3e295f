// Containerlab's vr_sros variant_test.go and interface_map_test.go, case for case.
import { describe, expect, test } from "bun:test";
import { componentPortIndex, mdaPortCount, srosComponentsProblem, srosVariant } from "./sros-components.ts";

const sr2sCard = (slot: string) => ({
  slot,
  type: "xcm-2s",
  xiom: [
    {
      slot: 1,
      type: "iom-s-3.0t",
      mda: [
        { slot: 1, type: "ms18-100gb-qsfp28" },
        { slot: 2, type: "ms24-10/100gb-sfpdd" },
      ],
    },
  ],
});
const sr2s = [{ slot: "A", type: "cpm-2s" }, sr2sCard("1"), sr2sCard("2")];
const directLCs = [
  { slot: "A", type: "cpm5" },
  { slot: "1", type: "iom4-e", mda: [{ slot: 1, type: "me6-10gb-sfp+" }] },
  { slot: "2", type: "iom4-e", mda: [{ slot: 1, type: "me6-10gb-sfp+" }] },
];
const integratedDirect = [
  {
    mda: [
      { slot: 1, type: "me12-100gb-qsfp28" },
      { slot: 2, type: "me16-25gb-sfp28+2-100gb-qsfp28" },
    ],
  },
];
const integratedEmbedded = [{ slot: "A", type: "cpm-ixr-x/imm6-qsfpdd+48-sfp56" }];

const PORT = /^(\d+)\/(?:x(\d+)\/)?(\d+)\/(?:c(\d+)\/)?(\d+)$/;
const index = (list: Record<string, unknown>[], name: string) => {
  const [, slot, xiom, mda, conn, port] = PORT.exec(name) ?? [];
  return componentPortIndex(list, name, {
    slot: Number(slot),
    xiom: Number(xiom ?? 0),
    mda: Number(mda),
    port: Number(conn ?? port),
  });
};

describe("vr_sros components as Containerlab reads them", () => {
  test.each([
    ["xiom lc1 mda1 first port", sr2s, "1/x1/1/1", 1],
    ["xiom lc1 mda1 last port", sr2s, "1/x1/1/18", 18],
    ["xiom lc1 mda2 first port", sr2s, "1/x1/2/1", 19],
    ["xiom lc1 mda2 last port", sr2s, "1/x1/2/24", 42],
    ["xiom lc2 mda1 first port", sr2s, "2/x1/1/1", 43],
    ["xiom lc2 mda2 first port", sr2s, "2/x1/2/1", 61],
    ["direct lc1 port", directLCs, "1/1/3", 3],
    ["direct lc2 port offset", directLCs, "2/1/1", 7],
    ["connector lc1 c18", sr2s, "1/x1/1/c18/1", 18],
    ["connector lc2 c1", sr2s, "2/x1/1/c1/1", 43],
    ["xiom omitted mda1", sr2s, "1/1/c3/1", 3],
    ["xiom omitted mda2", sr2s, "1/2/c18/1", 36],
    ["xiom omitted lc2 mda2", sr2s, "2/x1/2/c24/1", 84],
    ["integrated direct mda1b", integratedDirect, "1/1/c10/1", 10],
    ["integrated direct mda2", integratedDirect, "1/2/c1/1", 13],
    ["integrated embedded c34", integratedEmbedded, "1/1/c34/1", 34],
  ] as const)("%s: %s → %d", (_, list, name, want) => {
    expect(index(list as unknown as Record<string, unknown>[], name)).toBe(want);
  });

  test.each([
    [integratedDirect, "2/1/c1/1", "integrated node only has data ports on slot 1"],
    [directLCs, "3/1/1", "references slot 3 which has no line card component"],
    [directLCs, "1/2/1", "mda 2 (xiom 0) is not present in the slot 1 card"],
    [directLCs, "1/x1/1/1", "mda 1 (xiom 1) is not present"],
  ] as const)("case %#: one clear error", (list, name, message) => {
    expect(index(list as unknown as Record<string, unknown>[], name)).toContain(message);
  });

  test("the launcher's variant lines", () => {
    expect(
      srosVariant(
        "sr-2s",
        [
          { slot: "A", type: "cpm-2s" },
          { slot: "1", type: "xcm-2s", sfm: "sfm-override" },
        ],
        { NOKIA_SROS_SFM: "sfm-2s" },
      ),
    ).toBe("cp: chassis=sr-2s slot=A sfm=sfm-2s card=cpm-2s ___ lc: chassis=sr-2s slot=1 sfm=sfm-override card=xcm-2s");
    const r6 = { slot: "A", type: "cpiom-ixr-r6", mda: [{ slot: 1, type: "m6-10g-sfp++4-25g-sfp28" }] };
    expect(srosVariant("ixr-r6", [{ ...r6, env: { cpu: 2, ram: 4 } }], {})).toBe(
      "cpu=2 ram=4 max_nics=10 chassis=ixr-r6 slot=A card=cpiom-ixr-r6 mda/1=m6-10g-sfp++4-25g-sfp28",
    );
    expect(srosVariant("ixr-r6", [{ ...r6, env: { max_nics: "99" } }], {})).toBe(
      "max_nics=99 chassis=ixr-r6 slot=A card=cpiom-ixr-r6 mda/1=m6-10g-sfp++4-25g-sfp28",
    );
    expect(srosVariant("sr-1", [{ type: "iom-1", mda: [{ slot: 1, type: "me6-100gb-qsfp28" }] }], {})).toBe(
      "max_nics=6 chassis=sr-1 slot=A card=iom-1 mda/1=me6-100gb-qsfp28",
    );
    expect(
      srosVariant(
        "sr-2s",
        [
          { slot: "A", sfm: "sfm-2s", type: "cpm-2s" },
          {
            slot: "1",
            sfm: "sfm-2s",
            type: "xcm-2s",
            xiom: [{ slot: 1, type: "iom-s-3.0t", mda: [{ slot: 1, type: "ms8-100gb-sfpdd+2-100gb-qsfp28" }] }],
          },
        ],
        {},
      ),
    ).toBe(
      "cp: chassis=sr-2s slot=A sfm=sfm-2s card=cpm-2s ___ lc: max_nics=10 chassis=sr-2s slot=1 sfm=sfm-2s card=xcm-2s xiom/x1=iom-s-3.0t mda/x1/1=ms8-100gb-sfpdd+2-100gb-qsfp28",
    );
    expect(srosVariant("sr-1", [], {})).toBe("sr-1");
    expect(srosComponentsProblem([{ slot: "A" }, { slot: "B" }])).toContain("only supports a single CPM card");
  });

  test.each([
    ["m24-sfp++8-sfp28+2-qsfp28", 34],
    ["m6-10g-sfp++1-100g-qsfp28", 7],
    ["m48-sfp++6-qsfp28", 54],
    ["m32-qsfp28+4-qsfpdd", 36],
    ["m4-1g-tx+20-1g-sfp+6-10g-sfp+", 30],
    ["ms8-100gb-sfpdd+2-100gb-qsfp28", 10],
    ["s36-100gb-qsfp28", 36],
    ["ms24-10/100gb-sfpdd", 24],
  ] as const)("%s has %d ports", (type, n) => expect(mdaPortCount(type)).toBe(n));
});
