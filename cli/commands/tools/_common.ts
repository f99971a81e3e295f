import type { ArgDef } from "citty";
import { labOf, topoArgs } from "../_shared.ts";

/** -t / --name: the lab whose node names -n may use (without them, -n is a container name). */
export const labArgs = {
  ...topoArgs,
  name: { type: "string", description: "Lab name: -n then takes node names" },
} as const satisfies Record<string, ArgDef>;

/** The lab named by -t or --name, if any (tools take container names without one). */
export async function optionalLab(args: { name?: string; topo?: string }, rawArgs: string[], what: string) {
  if (!args.name && !args.topo) return undefined;
  return (await labOf(args, rawArgs, what)).name;
}
