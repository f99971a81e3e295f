import { defineCommand } from "citty";
import { execInLab } from "../../core/deploy/exec.ts";
import { logExec } from "../../core/deploy/stage-hooks.ts";
import { LabError } from "../../core/errors.ts";
import { hasTopologyFile } from "../../core/topology/topology-file.ts";
import { cliHosts } from "../context.ts";
import { execJson } from "../render/exec.ts";
import { printJson } from "../render/output.ts";
import { terminalReporter } from "../render/progress.ts";
import { globalArgs, hostArgs, loadTopology, maxWorkers, repeated, topoArgs, topoOptions } from "./_shared.ts";

// citty keeps the last value of a repeated flag; collect them all from the raw args.
const all = (rawArgs: string[], flag: string) =>
  rawArgs.flatMap((a, i) =>
    a === `--${flag}` ? [rawArgs[i + 1] ?? ""] : a.startsWith(`--${flag}=`) ? [a.slice(flag.length + 3)] : [],
  );
const list = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(String);

export default defineCommand({
  meta: { name: "exec", description: "Run a command in a lab's nodes and log each node's output and exit code" },
  args: {
    ...topoArgs,
    name: { type: "string", description: "Lab name (instead of -t)" },
    ...hostArgs,
    cmd: { type: "string", description: "Command to run (repeatable)", required: true },
    node: { type: "string", description: "Only this node (repeatable)" },
    label: { type: "string", description: "Only nodes with this label k=v (repeatable, or comma-separated)" },
    format: {
      type: "enum",
      options: ["plain", "table", "json"],
      default: "plain",
      description: "Output format: plain (the log, as Containerlab's) or json on stdout",
      alias: "f",
    },
    ...globalArgs,
  },
  async run({ args, rawArgs }) {
    const commands = all(rawArgs, "cmd").length ? all(rawArgs, "cmd") : list(args.cmd);
    // Containerlab's --label is a string slice: repeated or comma-separated.
    const labels = all(rawArgs, "label")
      .flatMap((l) => l.split(","))
      .filter(Boolean);
    // Without -t or --name Containerlab runs the command in every lab's matching containers; so does
    // lab (a topology in the working directory still picks its lab).
    const everyLab = !args.topo && !args.name && !(await hasTopologyFile(process.cwd()));
    const lab = args.name || everyLab ? undefined : await loadTopology(args.topo, topoOptions(args, rawArgs));
    const name = args.name ?? (lab?.name as string | undefined);
    // On every host the lab runs on (from its topology, or the hosts remembered for it).
    const { hosts } = await cliHosts({ lab, name, flags: repeated(rawArgs, "host") });
    const results = await execInLab(
      hosts,
      name,
      commands,
      { nodes: all(rawArgs, "node"), labels },
      maxWorkers(undefined),
    );
    if (args.format === "json") printJson(execJson(results));
    else for (const r of results) logExec(terminalReporter(), { ...r, node: r.container });
    const failed = results.filter((r) => r.exitCode !== 0);
    if (failed.length) {
      throw new LabError(
        "remote",
        `${failed.length} of ${results.length} commands failed (${failed.map((f) => `${f.node}: exit ${f.exitCode}`).join(", ")})`,
      );
    }
  },
});
