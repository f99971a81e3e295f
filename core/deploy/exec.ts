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
  /** The command split as Containerlab splits it (shlex), which is what runs. */
  argv: string[];
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

/** Whether a container's labels satisfy every `key=value` (or bare `key`) filter. */
const labelsMatch = (labels: Record<string, string>, filters: string[]) =>
  filters.every((l) => {
    const at = l.indexOf("=");
    return at < 0 ? l in labels : labels[l.slice(0, at)] === l.slice(at + 1);
  });

/**
 * Runs commands in the running containers of a lab (of every lab when `lab` is undefined, as
 * Containerlab's exec does without -t), each command in order, nodes in parallel. Nothing matching
 * is Containerlab's "filter did not match any containers".
 */
export async function execInLab(
  hosts: HostSet,
  lab: string | undefined,
  commands: string[],
  filter: ExecFilter,
  workers: number,
): Promise<NodeExecResult[]> {
  const running = (await listOnHosts(hosts, lab)).filter((c) => c.state === "running");
  const nodes = filter.nodes ?? [];
  const unknown = nodes.filter((n) => !running.some((c) => c.node === n || c.name === n));
  if (unknown.length)
    throw new LabError("not-found", `no running node ${unknown.join(", ")}${lab ? ` in lab ${lab}` : ""}`);
  let containers = nodes.length ? running.filter((c) => nodes.includes(c.node) || nodes.includes(c.name)) : running;
  if (filter.labels?.length) {
    const all = (
      await Promise.all(hosts.all.map((h) => h.docker.containers.list(lab ? { containerlab: lab } : {})))
    ).flat();
    const match = new Set(all.filter((c) => labelsMatch(c.Labels, filter.labels ?? [])).map((c) => c.Id));
    containers = containers.filter((c) => match.has(c.id));
  }
  if (!containers.length) {
    const what = [lab ? `lab ${lab}` : "", ...(filter.labels ?? []).map((l) => `label ${l}`)].filter(Boolean);
    throw new LabError(
      "not-found",
      `filter did not match any containers${what.length ? ` (${what.join(", ")})` : ""}`,
      {
        hint: lab ? "lab inspect shows the lab's nodes and whether they run" : "lab inspect --all lists deployed labs",
      },
    );
  }
  const argvs = commands.map(shellSplit);
  const perNode = await mapLimit(containers, workers, async (c) => {
    const out: NodeExecResult[] = [];
    for (const [i, argv] of argvs.entries()) {
      const r = await hosts.get(c.host).docker.exec.run(c.id, argv);
      out.push({
        node: c.node,
        container: c.name,
        command: commands[i] as string,
        argv,
        exitCode: r.exitCode,
        stdout: new TextDecoder().decode(r.stdout),
        stderr: new TextDecoder().decode(r.stderr),
      });
    }
    return out;
  });
  return perNode.flat();
}
