import { mkdirSync } from "node:fs";
import { planDeploy } from "../deploy/plan.ts";
import { resolveLab } from "../topology/index.ts";
import { parseTopology } from "../topology/load.ts";

/** A topology resolved and planned as lab up would, for the per-kind tests: nodes and create specs. */
export function planned(dir: string, text: string) {
  mkdirSync(dir, { recursive: true });
  const lab = resolveLab(parseTopology({ path: `${dir}/t.clab.yml`, dir, text, templates: [] }, {}), {
    env: {},
    owner: "tester",
  });
  const plan = planDeploy(lab);
  return {
    lab,
    plan,
    node: (n: string) => lab.nodes.find((x) => x.name === n),
    spec: (n: string) => plan.containers.find((c) => c.node === n)?.spec,
    env: (n: string) =>
      Object.fromEntries(
        (plan.containers.find((c) => c.node === n)?.spec.Env ?? []).map((e) => e.split(/=(.*)/s).slice(0, 2)),
      ) as Record<string, string>,
  };
}
