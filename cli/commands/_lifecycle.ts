import { type ArgDef, defineCommand } from "citty";
import type { LifecycleDeps, LifecycleResult } from "../../core/lifecycle/index.ts";
import { cliHosts } from "../context.ts";
import { logger } from "../logger.ts";
import { printJson } from "../render/output.ts";
import { terminalReporter } from "../render/progress.ts";
import { formatArgs, globalArgs, hostArgs, labOf, nodesOf, repeated, topoArgs } from "./_shared.ts";

const nodeArgs = {
  ...topoArgs,
  name: { type: "string", description: "Lab name (works without the topology file)" },
  ...hostArgs,
  node: {
    type: "string",
    alias: "n",
    description: "Node(s), repeatable or comma-separated; every node of the lab when left out",
  },
  ...formatArgs,
  ...globalArgs,
} as const satisfies Record<string, ArgDef>;

const verbs = { stop: "stopped", start: "started", restart: "restarted" } as const;

/** lab stop / start / restart: one shape, a different core call. */
export function lifecycleCommand(
  verb: keyof typeof verbs,
  description: string,
  extra: Record<string, ArgDef>,
  act: (
    target: { lab: string; nodes: string[] },
    args: Record<string, unknown>,
    deps: LifecycleDeps,
  ) => Promise<LifecycleResult[]>,
) {
  return defineCommand({
    meta: { name: verb, description },
    args: { ...nodeArgs, ...extra },
    async run({ args, rawArgs }) {
      const { name, lab } = await labOf(args, rawArgs, `lab ${verb}`);
      const { hosts } = await cliHosts({ lab, name, flags: repeated(rawArgs, "host") });
      const results = await act({ lab: name, nodes: nodesOf(rawArgs, args.node) }, args, {
        hosts,
        reporter: terminalReporter(),
      });
      if (args.format === "json") return printJson(results);
      for (const r of results) {
        if (r.action === "unchanged")
          logger.info(`node ${r.node} is already ${verb === "stop" ? "stopped" : "running"}`);
        else if (r.action === "repaired")
          logger.success(`node ${r.node} was running; ${r.links} missing link${r.links === 1 ? "" : "s"} re-made`);
        else
          logger.success(
            `node ${r.node} ${verbs[verb]}${r.links ? ` (${r.links} link${r.links === 1 ? "" : "s"} ${verb === "stop" ? "parked" : "back in place"})` : ""}`,
          );
      }
    },
  });
}
