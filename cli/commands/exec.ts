import { defineCommand } from "citty";
import { execInLab } from "../../core/deploy/exec.ts";
import { LabError } from "../../core/errors.ts";
import { cliHosts } from "../context.ts";
import { out } from "../out.ts";
import { printJson } from "../render/output.ts";
import {
  formatArgs,
  globalArgs,
  hostArgs,
  loadTopology,
  maxWorkers,
  repeated,
  topoArgs,
  topoOptions,
} from "./_shared.ts";

const list = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(String);

export default defineCommand({
  meta: { name: "exec", description: "Run a command in a lab's nodes and print each node's output and exit code" },
  args: {
    ...topoArgs,
    name: { type: "string", description: "Lab name (instead of -t)" },
    ...hostArgs,
    cmd: { type: "string", description: "Command to run (repeatable)", required: true },
    node: { type: "string", description: "Only this node (repeatable)" },
    label: { type: "string", description: "Only nodes with this label k=v (repeatable)" },
    ...formatArgs,
    ...globalArgs,
  },
  async run({ args, rawArgs }) {
    // citty keeps the last value of a repeated flag; collect them all from the raw args.
    const all = (flag: string) =>
      rawArgs.flatMap((a, i) =>
        a === `--${flag}` ? [rawArgs[i + 1] ?? ""] : a.startsWith(`--${flag}=`) ? [a.slice(flag.length + 3)] : [],
      );
    const commands = all("cmd").length ? all("cmd") : list(args.cmd);
    const lab = args.name ? undefined : await loadTopology(args.topo, topoOptions(args, rawArgs));
    const name = args.name ?? (lab?.name as string);
    // On every host the lab runs on (from its topology, or the hosts remembered for it).
    const { hosts } = await cliHosts({ lab, name, flags: repeated(rawArgs, "host") });
    const results = await execInLab(
      hosts,
      name,
      commands,
      { nodes: all("node"), labels: all("label") },
      maxWorkers(undefined),
    );
    if (args.format === "json") printJson(results);
    else {
      for (const r of results) {
        out(`── ${r.node}: ${r.command} (exit code ${r.exitCode})\n${r.stdout}${r.stderr}`);
        if (r.stdout && !r.stdout.endsWith("\n")) out("\n");
      }
    }
    const failed = results.filter((r) => r.exitCode !== 0);
    if (failed.length) {
      throw new LabError(
        "remote",
        `${failed.length} of ${results.length} commands failed (${failed.map((f) => `${f.node}: exit ${f.exitCode}`).join(", ")})`,
      );
    }
  },
});
