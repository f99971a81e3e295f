import { LabError } from "../errors.ts";
import type { HostSet } from "../hosts/hosts.ts";
import { shellSplit } from "../topology/units.ts";
import { type LabContainer, listOnHosts } from "./inspect.ts";
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

/** A lab's running containers, or those of `nodes` (node or container names); none is an error. */
export async function runningNodes(hosts: HostSet, lab: string, nodes?: string[]): Promise<LabContainer[]> {
  const containers = (await listOnHosts(hosts, lab)).filter((c) => c.state === "running");
  if (!containers.length)
    throw new LabError("not-found", `lab ${lab} has no running containers`, { hint: "Deploy it with lab up" });
  if (!nodes?.length) return containers;
  const unknown = nodes.filter((n) => !containers.some((c) => c.node === n || c.name === n));
  if (unknown.length) throw new LabError("not-found", `no running node ${unknown.join(", ")} in lab ${lab}`);
  return containers.filter((c) => nodes.includes(c.node) || nodes.includes(c.name));
}

/** Runs commands in the lab's running containers (each command in order, nodes in parallel). */
export async function execInLab(
  hosts: HostSet,
  lab: string,
  commands: string[],
  filter: ExecFilter,
  workers: number,
): Promise<NodeExecResult[]> {
  let containers = await runningNodes(hosts, lab, filter.nodes);
  if (filter.labels?.length) {
    const all = (await Promise.all(hosts.all.map((h) => h.docker.containers.list({ containerlab: lab })))).flat();
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
      const r = await hosts.get(c.host).docker.exec.run(c.id, shellSplit(command));
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
