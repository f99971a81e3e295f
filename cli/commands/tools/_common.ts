import type { ArgDef } from "citty";
import type { ToolDeps } from "../../../core/tools/target.ts";
import { cliHosts } from "../../context.ts";
import { hostArgs, labOf, repeated, topoArgs } from "../_shared.ts";

/** -t / --name: the lab whose node names -n may use (without them, -n is a container name). */
export const labArgs = {
  ...topoArgs,
  name: { type: "string", description: "Lab name: -n then takes node names" },
  ...hostArgs,
} as const satisfies Record<string, ArgDef>;

/**
 * The lab named by -t or --name, if any (tools take container names without one), and the hosts
 * its nodes may be on: the lab's hosts, or when no lab is named, every remembered host (a container
 * name may be on any of them) unless `localWithoutLab` keeps it to this machine.
 */
export async function toolScope(
  args: { name?: string; topo?: string },
  rawArgs: string[],
  what: string,
  localWithoutLab = false,
): Promise<{ lab?: string; deps: ToolDeps }> {
  const selected = args.name || args.topo ? await labOf(args, rawArgs, what) : undefined;
  const { hosts } = await cliHosts({
    lab: selected?.lab,
    name: selected?.name,
    all: !selected && !localWithoutLab,
    flags: repeated(rawArgs, "host"),
  });
  return { lab: selected?.name, deps: { hosts } };
}
