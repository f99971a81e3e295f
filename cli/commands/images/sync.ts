import { writeFile } from "node:fs/promises";
import { defineCommand } from "citty";
import { parsePlatform } from "../../../core/registry/pull.ts";
import { registrySession } from "../../../core/registry/session.ts";
import { syncLab } from "../../../core/registry/sync.ts";
import { rewriteImages } from "../../../core/registry/topology.ts";
import { cliContext } from "../../context.ts";
import { logger } from "../../logger.ts";
import { out } from "../../out.ts";
import { printJson } from "../../render/output.ts";
import { terminalReporter } from "../../render/progress.ts";
import { formatArgs, globalArgs, interruptSignal, loadTopology, topoArgs, topoOptions } from "../_shared.ts";
import { copyArgs, copySessionOptions } from "./_shared.ts";

export default defineCommand({
  meta: {
    name: "sync",
    description: "Mirror every registry image a lab uses into REGISTRY/PROJECT (registry to registry)",
  },
  args: {
    ...topoArgs,
    to: { type: "string", description: "REGISTRY/PROJECT to mirror into", required: true },
    rewrite: { type: "string", description: "Write the topology, images pointing at the mirror, to this file" },
    ...copyArgs,
    ...formatArgs,
    ...globalArgs,
  },
  async run({ args, rawArgs }) {
    const lab = await loadTopology(args.topo, topoOptions(args, rawArgs));
    const { platform } = await cliContext();
    const { results, targets } = await syncLab(
      {
        lab,
        to: args.to,
        all: !!args.all,
        platform: parsePlatform(args.platform),
        signal: interruptSignal(() => logger.warn("interrupted")),
      },
      {
        session: async (registry, side) => registrySession(registry, await copySessionOptions(args, side), platform),
        reporter: terminalReporter(),
      },
    );
    if (args.rewrite) {
      await writeFile(args.rewrite, await rewriteImages(lab.file, targets));
      logger.success(`wrote ${args.rewrite} with the images pointing at ${args.to}`);
    }
    if (args.format === "json") return printJson(results);
    if (!args.rewrite) out(results.map((r) => `${r.reference}@${r.digest}\n`).join(""));
  },
});
