import { resolve } from "node:path";
import { defineCommand } from "citty";
import { saveLab } from "../../core/deploy/save.ts";
import { LabError } from "../../core/errors.ts";
import { cliHosts } from "../context.ts";
import { logger } from "../logger.ts";
import { printJson } from "../render/output.ts";
import {
  formatArgs,
  globalArgs,
  loadTopology,
  maxWorkers,
  nodeFilter,
  nodeFilterArgs,
  topoArgs,
  topoOptions,
  workerArgs,
} from "./_shared.ts";

export default defineCommand({
  meta: { name: "save", description: "Save each node's running config where it boots from (SR Linux, cEOS)" },
  args: {
    ...topoArgs,
    name: { type: "string", description: "Lab name (instead of -t)" },
    copy: {
      type: "string",
      description:
        "Also copy each saved config into DIR/<lab dir>/<node>/ (timestamped, the plain name a link to the newest)",
      valueHint: "DIR",
    },
    ...nodeFilterArgs,
    ...workerArgs,
    ...formatArgs,
    ...globalArgs,
  },
  async run({ args, rawArgs }) {
    const lab = args.name ? undefined : await loadTopology(args.topo, topoOptions(args, rawArgs));
    const name = args.name ?? (lab?.name as string);
    const { hosts } = await cliHosts({ lab, name, flags: [] });
    const results = await saveLab(
      hosts,
      name,
      nodeFilter(args["node-filter"]),
      maxWorkers(args["max-workers"]),
      args.copy ? resolve(args.copy) : undefined,
    );
    if (args.format === "json") printJson(results);
    else
      for (const r of results) {
        const line = `${r.node}: ${r.status}${r.detail ? ` (${r.detail.split("\n")[0]})` : ""}${r.copied ? `, copied to ${r.copied}` : ""}`;
        if (r.status === "saved") logger.success(line);
        else if (r.status === "skipped") logger.info(line);
        else logger.error(line);
      }
    const failed = results.filter((r) => r.status === "failed");
    if (failed.length)
      throw new LabError("remote", `saving failed on ${failed.map((f) => f.node).join(", ")}`, {
        hint: "Check that the nodes have finished booting",
      });
  },
});
