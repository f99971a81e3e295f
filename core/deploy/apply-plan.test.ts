import { describe, expect, test } from "bun:test";
import { resolveLab } from "../topology/index.ts";
import { parseTopology } from "../topology/load.ts";
import { applyPlan, diffLab, type LiveLab } from "./apply-plan.ts";
import { type DeployPlan, type Placement, planDeploy } from "./plan.ts";
import { type LabState, stateFromPlan } from "./state.ts";

const planOf = (body: string): DeployPlan =>
  planDeploy(
    resolveLab(
      parseTopology(
        {
          path: "/tmp/a.clab.yml",
          dir: "/tmp",
          templates: [],
          text: `name: a\ntopology:\n  defaults: { image: img:1 }\n${body}`,
        },
        {},
      ),
      { env: {} },
    ),
  );

const BASE = `  nodes:
    r1: { env: { V: one } }
    r2: {}
    r3: {}
    r4: {}
    br1: { kind: bridge }
  links:
    - endpoints: ["r1:eth1", "r2:eth1"]
    - endpoints: ["r2:eth2", "r3:eth1"]
    - endpoints: ["r3:eth2", "r4:eth1"]
    - endpoints: ["r2:eth3", "r4:eth3"]
    - endpoints: ["r4:eth9", "br1:p4"]
`;
const line = planOf(BASE);
/** The base topology with some lines replaced (a line replaced by "" is removed). */
const edited = (...edits: [string, string][]) =>
  planOf(edits.reduce((text, [from, to]) => text.replace(`${from}\n`, to ? `${to}\n` : ""), BASE));

/** A lab running exactly as `plan` (and its state) says, less any ends named in `missing`. */
function running(plan: DeployPlan, missing: string[] = []): LiveLab {
  const ends = new Set(
    plan.links.flatMap((l) =>
      [l.a, l.b].flatMap((p) => (p ? [p.where === "container" ? `${p.node}:${p.iface}` : `host:${p.iface}`] : [])),
    ),
  );
  for (const m of missing) ends.delete(m);
  return {
    nodes: new Map(plan.containers.map((c) => [c.node, { container: c.name, running: true }])),
    present: (p: Placement) => ends.has(p.where === "container" ? `${p.node}:${p.iface}` : `host:${p.iface}`),
  };
}

const summary = (d: ReturnType<typeof diffLab>) => d.changes.map((c) => `${c.action} ${c.what} ${c.name}: ${c.reason}`);
const state: LabState = stateFromPlan(line);

describe("diffLab", () => {
  test("the same topology against what it deployed: nothing to change", () => {
    const d = diffLab(line, running(line), state);
    expect(d.changes).toEqual([]);
    expect(d.deleteEnds).toEqual([]);
  });

  test("add r5 with a link to r4, change r1's env, remove r3: exactly those changes", () => {
    const next = edited(
      ["    r1: { env: { V: one } }", "    r1: { env: { V: two } }"],
      ["    r3: {}", "    r5: {}"],
      ['    - endpoints: ["r2:eth2", "r3:eth1"]', ""],
      ['    - endpoints: ["r3:eth2", "r4:eth1"]', ""],
      [
        '    - endpoints: ["r4:eth9", "br1:p4"]',
        '    - endpoints: ["r4:eth9", "br1:p4"]\n    - endpoints: ["r4:eth4", "r5:eth1"]',
      ],
    );
    const d = diffLab(next, running(line), state);
    expect(summary(d)).toEqual([
      "recreate node r1: config drift: Env",
      "create node r5: new in the topology",
      "delete node r3: gone from the topology",
      "create link r4:eth4 ↔ r5:eth1: node r5 is new",
      "delete link r2:eth2 ↔ r3:eth1: node r3 is gone",
      "delete link r3:eth2 ↔ r4:eth1: node r3 is gone",
    ]);
    // r3's links go with its container: nothing to delete by hand.
    expect(d.deleteEnds).toEqual([]);
    const p = applyPlan(next, d);
    expect(p.partial).toBe(true);
    expect(p.containers.map((c) => c.node)).toEqual(["r1", "r5"]);
    expect(p.links.map((l) => l.label)).toEqual(["r4:eth4 ↔ r5:eth1"]);
  });

  test("adding a link re-creates no node (the interface count is not part of a definition)", () => {
    const next = edited([
      '    - endpoints: ["r4:eth9", "br1:p4"]',
      '    - endpoints: ["r4:eth9", "br1:p4"]\n    - endpoints: ["r1:eth2", "r4:eth2"]',
    ]);
    expect(summary(diffLab(next, running(line), state))).toEqual([
      "create link r1:eth2 ↔ r4:eth2: new in the topology",
    ]);
  });

  test("a bridge port remapped: old ports deleted, both links made again", () => {
    const next = edited(['    - endpoints: ["r4:eth9", "br1:p4"]', '    - endpoints: ["r4:eth9", "br1:p5"]']);
    const d = diffLab(next, running(line), state);
    expect(summary(d)).toEqual([
      "create link r4:eth9 ↔ br1:p5: new in the topology",
      "delete link r4:eth9 ↔ br1:p4: gone from the topology",
    ]);
    expect(d.deleteEnds.map((p) => p.iface).sort()).toEqual(["eth9", "p4"]);
  });

  test("a changed link (mtu) is deleted and made again", () => {
    const next = edited([
      '    - endpoints: ["r1:eth1", "r2:eth1"]',
      '    - endpoints: ["r1:eth1", "r2:eth1"]\n      mtu: 1400',
    ]);
    const d = diffLab(next, running(line), state);
    expect(summary(d)).toEqual(["create link r1:eth1 ↔ r2:eth1: changed"]);
    expect(d.deleteEnds.map((p) => (p.where === "container" ? `${p.node}:${p.iface}` : p.iface))).toEqual([
      "r1:eth1",
      "r2:eth1",
    ]);
  });

  test("a link end gone from a running node (deleted by hand) is made again, its other half removed first", () => {
    const d = diffLab(line, running(line, ["r3:eth2"]), state);
    expect(summary(d)).toEqual(["create link r3:eth2 ↔ r4:eth1: an end is missing"]);
    expect(d.deleteEnds.map((p) => p.iface)).toEqual(["eth1"]);
  });

  test("without a recorded state running nodes are kept and said so", () => {
    const d = diffLab(line, running(line), undefined);
    expect(d.changes).toEqual([]);
    expect(d.notes[0]).toContain("no record of the last deploy");
  });
});
