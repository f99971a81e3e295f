import { defineCommand } from "citty";
import { copyRegistryImage } from "../../../core/registry/copy.ts";
import { parsePlatform } from "../../../core/registry/pull.ts";
import { parseRegistryReference } from "../../../core/registry/reference.ts";
import { registrySession } from "../../../core/registry/session.ts";
import { cliContext } from "../../context.ts";
import { logger } from "../../logger.ts";
import { out } from "../../out.ts";
import { printJson } from "../../render/output.ts";
import { terminalReporter } from "../../render/progress.ts";
import { formatArgs, globalArgs, interruptSignal } from "../_shared.ts";
import { copyArgs, copySessionOptions } from "./_shared.ts";

export default defineCommand({
  meta: {
    name: "copy",
    description: "Copy an image from one registry to another (blobs streamed, mounted within one registry)",
  },
  args: {
    source: { type: "positional", description: "docker://registry/repo:tag (or registry/repo:tag)", required: true },
    dest: { type: "positional", description: "docker://registry/repo:tag", required: true },
    ...copyArgs,
    ...formatArgs,
    ...globalArgs,
  },
  async run({ args }) {
    const src = parseRegistryReference(args.source);
    const dest = parseRegistryReference(args.dest);
    const { platform } = await cliContext();
    const started = performance.now();
    const result = await copyRegistryImage(
      {
        src,
        dest,
        all: !!args.all,
        platform: parsePlatform(args.platform),
        signal: interruptSignal(() => logger.warn("interrupted: the destination tag was not written")),
      },
      {
        source: await registrySession(
          src.registry,
          { ...(await copySessionOptions(args, "src")), repository: src.repository },
          platform,
        ),
        dest: await registrySession(
          dest.registry,
          { ...(await copySessionOptions(args, "dest")), repository: dest.repository },
          platform,
        ),
        reporter: terminalReporter(),
      },
    );
    if (args.format === "json") return printJson(result);
    const count = (s: string) => result.blobs.filter((b) => b.status === s).length;
    logger.success(
      `copied ${result.source} → ${result.reference}${result.manifests > 1 ? ` (${result.manifests} platforms)` : ""}: ${count("copied")} blobs sent (${(result.bytes / 1e6).toFixed(1)} MB), ${count("mounted")} mounted, ${count("skipped")} already there, in ${((performance.now() - started) / 1000).toFixed(1)}s`,
    );
    out(`${result.digest}\n`);
  },
});
