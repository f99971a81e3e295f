import type { DockerClient } from "../../runtime/docker/index.ts";
import type { Platform } from "../../runtime/platform/index.ts";
import type { NodeModel, Stage, StageExec } from "../topology/model.ts";
import { shellSplit } from "../topology/units.ts";
import { type ExecLogEntry, execLogLine } from "./exec-log.ts";
import type { Reporter } from "./reporter.ts";

/**
 * Runs a node's stage hooks (`stages.<stage>.exec`) for one phase, as Containerlab's dependency
 * manager does: each command in the node (target: container) or on this host (target: host), split
 * like a shell would but without one. A failing command is reported and the deploy goes on.
 */
export async function runStageHooks(
  node: NodeModel,
  stage: Stage,
  phase: StageExec["phase"],
  deps: { docker: DockerClient; platform: Platform; reporter: Reporter },
): Promise<void> {
  const hooks = node.stageExec.filter((h) => h.stage === stage && h.phase === phase);
  for (const hook of hooks) {
    // Containerlab names a host-target result "host via <node>".
    const where = hook.target === "host" ? `host via ${node.name}` : node.name;
    try {
      const argv = shellSplit(hook.command);
      const r =
        hook.target === "host"
          ? await deps.platform.run(argv, {
              env: {
                CLAB_LAB_NAME: node.labels.containerlab ?? "",
                CLAB_NODE_NAME: node.name,
                CLAB_NODE_DIR: node.nodeDir,
              },
            })
          : await deps.docker.exec.run(node.longName, argv).then((x) => ({ ...x, code: x.exitCode }));
      logExec(deps.reporter, {
        node: where,
        argv,
        exitCode: r.code,
        stdout: new TextDecoder().decode(r.stdout),
        stderr: new TextDecoder().decode(r.stderr),
      });
    } catch (error) {
      deps.reporter.warn(
        `${where}: ${stage} ${phase} exec "${hook.command}" could not run: ${(error as Error).message}`,
      );
    }
  }
}

/** One command's result on the log, in Containerlab's words. */
export function logExec(reporter: Reporter, entry: ExecLogEntry): void {
  const { level, text } = execLogLine(entry);
  reporter[level](text);
}

/** Whether any node has hooks for this stage (so the executor knows to stop there). */
export const hasHooks = (nodes: NodeModel[], stage: Stage) =>
  nodes.some((n) => n.stageExec.some((h) => h.stage === stage));
