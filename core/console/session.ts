import type { InteractiveExec } from "../../runtime/docker/exec.ts";
import { type LabContainer, listOnHosts } from "../deploy/inspect.ts";
import { LabError } from "../errors.ts";
import type { HostSet } from "../hosts/hosts.ts";
import { shellCommand } from "./shells.ts";

// A terminal on a lab node: the node found on whichever host of the lab runs it, its kind's CLI (or
// the user's command) started over the engine's hijacked stream. lab shell, the graph page's
// terminals and lab's console server all open their sessions here.

export interface ConsoleTarget {
  container: LabContainer;
  argv: string[];
}

/** The node (by node or container name) and what to run in it; a node that is not running is refused. */
export async function consoleTarget(hosts: HostSet, lab: string, node: string, cmd?: string): Promise<ConsoleTarget> {
  const all = await listOnHosts(hosts, lab);
  const container =
    all.find((c) => (c.node === node || c.name === node) && !c.component) ??
    all.find((c) => c.node === node || c.name === node);
  if (!container)
    throw new LabError("not-found", `lab ${lab} has no node ${node}`, {
      hint: all.length ? `Its nodes: ${[...new Set(all.map((c) => c.node))].join(", ")}` : "Deploy it with lab up",
    });
  if (container.state !== "running")
    throw new LabError("conflict", `node ${container.node} is ${container.state || "not running"}`, {
      hint: `Start it with lab start --name ${lab} -n ${container.node}`,
    });
  return { container, argv: shellCommand(container.kind, cmd) };
}

/** Starts the target's command with a terminal (or, `tty: false`, with stdin and separate output). */
export function openConsole(
  hosts: HostSet,
  target: ConsoleTarget,
  options: { tty: boolean; size?: { rows: number; cols: number }; env?: string[] },
): Promise<InteractiveExec> {
  const docker = hosts.get(target.container.host).docker;
  return docker.exec.interactive(target.container.id, target.argv, {
    tty: options.tty,
    size: options.size,
    // The terminal type the page and most user terminals speak; the NOS CLIs draw with it.
    env: options.tty ? ["TERM=xterm-256color", ...(options.env ?? [])] : options.env,
  });
}
