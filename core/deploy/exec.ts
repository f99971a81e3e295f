import type { DockerClient } from "../../runtime/docker/index.ts";
import { LabError } from "../errors.ts";
import { shellSplit } from "../topology/units.ts";
import { listLabContainers } from "./inspect.ts";
import { mapLimit } from "./pool.ts";

export interface ExecFilter {
  nodes?: string[];
  /** `key=value` label filters; all must match. */
  labels?: string[];
}

export interface NodeExecResult {
  node: string;
  container: string;
  command: string;
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs commands in the lab's running containers (each command in order, nodes in parallel). */
export async function execInLab(
  docker: DockerClient,
  lab: string,
  commands: string[],
  filter: ExecFilter,
  workers: number,
): Promise<NodeExecResult[]> {
  let containers = (await listLabContainers(docker, lab)).filter((c) => c.state === "running");
  if (!containers.length)
    throw new LabError("not-found", `lab ${lab} has no running containers`, { hint: "Deploy it with lab up" });
  if (filter.nodes?.length) {
    const unknown = filter.nodes.filter((n) => !containers.some((c) => c.node === n || c.name === n));
    if (unknown.length) throw new LabError("not-found", `no running node ${unknown.join(", ")} in lab ${lab}`);
    containers = containers.filter((c) => filter.nodes?.includes(c.node) || filter.nodes?.includes(c.name));
  }
  if (filter.labels?.length) {
    const all = await docker.containers.list({ containerlab: lab });
    const match = new Set(
      all
        .filter((c) =>
          filter.labels?.every((l) => {
            const [k, v] = l.split("=");
            return v === undefined ? k !== undefined && k in c.Labels : c.Labels[k as string] === v;
          }),
        )
        .map((c) => c.Id),
    );
    containers = containers.filter((c) => match.has(c.id));
    if (!containers.length)
      throw new LabError("not-found", `no running node of lab ${lab} matches ${filter.labels.join(", ")}`);
  }
  const perNode = await mapLimit(containers, workers, async (c) => {
    const out: NodeExecResult[] = [];
    for (const command of commands) {
      const r = await docker.exec.run(c.id, shellSplit(command));
      out.push({
        node: c.node,
        container: c.name,
        command,
        exitCode: r.exitCode,
        stdout: new TextDecoder().decode(r.stdout),
        stderr: new TextDecoder().decode(r.stderr),
      });
    }
    return out;
  });
  return perNode.flat();
}
