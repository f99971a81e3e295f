import { describe, expect, test } from "bun:test";
import { resolveLab } from "../topology/index.ts";
import { parseTopology } from "../topology/load.ts";
import { filterPlan } from "./filter.ts";
import { planDeploy } from "./plan.ts";

const lab = resolveLab(
  parseTopology(
    {
      path: "/tmp/f.clab.yml",
      dir: "/tmp",
      templates: [],
      text: `name: f
topology:
  defaults: { image: img:1 }
  nodes:
    a: {}
    b: { stages: { create: { wait-for: [{ node: a }] } } }
    c: { image: other:1 }
  links:
    - endpoints: ["a:eth1", "b:eth1"]
    - endpoints: ["b:eth2", "c:eth1"]
    - endpoints: ["c:eth2", "host:fhost"]
`,
    },
    {},
  ),
  { env: {} },
);
const plan = planDeploy(lab);

describe("filterPlan", () => {
  test("keeps the chosen nodes, their images, and links whose other ends run", () => {
    const p = filterPlan(plan, ["b"], new Set(["a"]));
    expect(p.partial).toBe(true);
    expect(p.containers.map((c) => c.node)).toEqual(["b"]);
    expect(p.containers[0]?.dependsOn).toEqual([]);
    expect(p.images).toEqual([{ image: "img:1", policy: "IfNotPresent", nodes: ["b"] }]);
    expect(p.links.map((l) => l.label)).toEqual(["a:eth1 ↔ b:eth1"]);
    expect(p.notes).toContain("link b:eth2 ↔ c:eth1 left out: c is not deployed");
  });
  test("host links go with their node; dependencies on absent nodes are noted", () => {
    const p = filterPlan(plan, ["b", "c"], new Set());
    expect(p.links.map((l) => l.label)).toEqual(["b:eth2 ↔ c:eth1", "c:eth2 ↔ host:fhost"]);
    expect(p.notes).toContain("node b: not waiting for a (not deployed)");
    expect(p.notes).toContain("link a:eth1 ↔ b:eth1 left out: a is not deployed");
  });
  test("an unknown node is a usage error with a suggestion", () => {
    expect(() => filterPlan(plan, ["bb"], new Set())).toThrow("--node-filter names no node of lab f: bb");
  });
});
