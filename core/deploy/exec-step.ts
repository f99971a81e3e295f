import type { DockerClient } from "../../runtime/docker/index.ts";
import type { LabModel, NodeModel } from "../topology/index.ts";
import { shellSplit } from "../topology/units.ts";
import type { ContainerStep, DeployPlan } from "./plan.ts";
import { mapLimit } from "./pool.ts";
import { type ExecOutcome, pause, type RunContext } from "./run-context.ts";
import { logExec, runStageHooks } from "./stage-hooks.ts";

// After the links: each node's `exec:` commands inside its configure stage, then its healthy stage.

/** Waits (up to 5 minutes) for a node's healthcheck to pass; false when it has none or never does. */
async function becameHealthy(node: NodeModel, docker: DockerClient, signal: AbortSignal): Promise<boolean> {
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    const health = (await docker.containers.inspect(node.longName)).State.Health;
    if (!health) return false;
    if (health.Status === "healthy") return true;
    await pause(1000, signal);
  }
  return false;
}

/**
 * The configure stage (stage hooks around each node's `exec:` commands), then the healthy stage's
 * hooks for nodes that have them: on-enter at once, on-exit once the healthcheck passes.
 */
export async function runExec(
  lab: LabModel,
  plan: DeployPlan,
  ctx: RunContext,
  workers: number,
  signal: AbortSignal,
): Promise<ExecOutcome[]> {
  const { reporter } = ctx;
  const nodeOf = (c: ContainerStep) => lab.nodes.find((n) => n.name === c.node) as NodeModel;
  const staged = (stage: "configure" | "healthy") =>
    plan.containers.filter((c) => nodeOf(c).stageExec.some((h) => h.stage === stage));
  const withExec = plan.containers.filter(
    (c) => c.exec.length || nodeOf(c).stageExec.some((h) => h.stage === "configure"),
  );
  const results = await mapLimit(withExec, workers, async (c) => {
    const out: ExecOutcome[] = [];
    const hooks = ctx.hooksOf(c.node);
    await runStageHooks(nodeOf(c), "configure", "on-enter", hooks);
    for (const command of c.exec) {
      const argv = shellSplit(command);
      const r = await hooks.docker.exec.run(c.name, argv);
      const outcome = {
        node: c.node,
        command,
        exitCode: r.exitCode,
        stdout: new TextDecoder().decode(r.stdout),
        stderr: new TextDecoder().decode(r.stderr),
      };
      out.push(outcome);
      logExec(reporter, { ...outcome, argv });
    }
    await runStageHooks(nodeOf(c), "configure", "on-exit", hooks);
    return out;
  });
  await mapLimit(staged("healthy"), workers, async (c) => {
    const node = nodeOf(c);
    const hooks = ctx.hooksOf(c.node);
    await runStageHooks(node, "healthy", "on-enter", hooks);
    if (await becameHealthy(node, hooks.docker, signal)) await runStageHooks(node, "healthy", "on-exit", hooks);
    else
      reporter.warn(
        `node ${node.name}: never reported healthy (does it have a healthcheck?); its healthy on-exit hooks did not run`,
      );
  });
  return results.flat();
}
