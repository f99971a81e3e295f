import { defineCommand } from "citty";
import { destroyLabs } from "../../core/deploy/destroy.ts";
import { listOnHosts } from "../../core/deploy/inspect.ts";
import { LabError } from "../../core/errors.ts";
import { stopShare } from "../../core/share/control.ts";
import type { LabModel } from "../../core/topology/index.ts";
import { cliHosts } from "../context.ts";
import { logger } from "../logger.ts";
import { err } from "../out.ts";
import { printJson } from "../render/output.ts";
import { terminalReporter } from "../render/progress.ts";
import { promptLine } from "../render/prompt.ts";
import {
  formatArgs,
  globalArgs,
  hostArgs,
  loadTopology,
  maxWorkers,
  needTopologyHere,
  nodeFilter,
  nodeFilterArgs,
  repeated,
  seconds,
  selectArgs,
  topoOptions,
  workerArgs,
} from "./_shared.ts";

/** Lists the labs --all would remove and asks, as Containerlab's cliPromptToDestroyAll. */
async function confirmAll(hosts: Awaited<ReturnType<typeof cliHosts>>["hosts"]): Promise<void> {
  const labs = [...new Set((await listOnHosts(hosts)).map((c) => `${c.lab}${c.topoFile ? ` (${c.topoFile})` : ""}`))];
  if (!labs.length) return;
  err(`${labs.map((l) => `  ${l}`).join("\n")}\n`);
  const answer = await promptLine(
    "Are you sure you want to remove all labs listed above? Enter 'y', to confirm or ENTER to abort: ",
  );
  if (!["y", "yes"].includes(answer.trim().toLowerCase()))
    throw new LabError("usage", "aborted: no lab removed", { hint: "Pass --yes to skip the question" });
}

export default defineCommand({
  meta: { name: "down", description: "Remove a lab: containers, links, hosts entries, ssh config, its network" },
  args: {
    ...selectArgs,
    ...hostArgs,
    cleanup: { type: "boolean", alias: "c", description: "Also remove the lab directory clab-<name>/" },
    yes: { type: "boolean", alias: "y", description: "With --all, do not ask on a terminal before removing every lab" },
    graceful: { type: "boolean", description: "Stop each node (up to --timeout) before removing it" },
    timeout: { type: "string", default: "120", description: "Seconds a node gets to stop with --graceful" },
    "keep-mgmt-net": { type: "boolean", description: "Leave the management network in place" },
    ...nodeFilterArgs,
    ...workerArgs,
    ...formatArgs,
    ...globalArgs,
  },
  async run({ args, rawArgs }) {
    let name = args.name;
    let labDir: string | undefined;
    let lab: LabModel | undefined;
    if (!name && !args.all) {
      if (!args.topo) await needTopologyHere("lab down", "use -t FILE, --name LAB or --all");
      lab = await loadTopology(args.topo, topoOptions(args, rawArgs));
      name = lab.name;
      labDir = lab.labDir;
    }
    // Every host the lab runs on: from its topology, else the hosts remembered for it.
    const { hosts } = await cliHosts({ lab, name, all: args.all, flags: repeated(rawArgs, "host") });
    const platform = hosts.local.platform;
    const reporter = terminalReporter();
    const nodes = nodeFilter(args["node-filter"]);
    if (args.all && args.name)
      throw new LabError("usage", "--all and --name exclude each other", { hint: "Drop one of them" });
    // Containerlab asks before removing every lab when it can ask (a terminal) and --yes is not given.
    if (args.all && !args.yes && process.stdin.isTTY) await confirmAll(hosts);
    if (nodes && (args.all || args.cleanup))
      throw new LabError("usage", "--node-filter removes some nodes of one lab", {
        hint: "Drop --all and --cleanup, or drop --node-filter",
      });
    const result = await destroyLabs({ name, labDir, all: args.all, nodes }, hosts, reporter, {
      cleanup: !!args.cleanup,
      gracefulSeconds: args.graceful ? seconds(args.timeout, "--timeout") : undefined,
      keepMgmtNet: !!args["keep-mgmt-net"],
      maxWorkers: maxWorkers(args["max-workers"]),
      // Sharing goes first: its sockets would otherwise outlive the lab.
      beforeRemove: async (_lab, dir) => {
        if (!dir) return;
        const r = await stopShare(dir, platform, reporter);
        if (r.wasRunning || r.deleted.length) reporter.info("stopped sharing: tunnels closed, sockets deleted");
      },
    });
    if (args.format === "json") return printJson(result);
    if (!result.labs.length) logger.info("no labs found");
    for (const l of result.labs)
      logger.success(
        nodes
          ? `lab ${l.name}: removed ${l.containers.join(", ") || "nothing"}; the rest stays`
          : `lab ${l.name} removed (${l.containers.length} containers)`,
      );
  },
});
