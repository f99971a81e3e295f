import { defineCommand } from "citty";
import { LabError } from "../../../core/errors.ts";
import { saveBundle } from "../../../core/registry/bundle-save.ts";
import { parsePlatform } from "../../../core/registry/pull.ts";
import { registrySession } from "../../../core/registry/session.ts";
import { cliContext } from "../../context.ts";
import { logger } from "../../logger.ts";
import { printJson } from "../../render/output.ts";
import { terminalReporter } from "../../render/progress.ts";
import { formatArgs, globalArgs, interruptSignal, loadTopology, topoArgs, topoOptions } from "../_shared.ts";
import { registryArgs, sessionOptions } from "./_shared.ts";

export default defineCommand({
  meta: {
    name: "save",
    description:
      "Write a lab's images (layers shared once) and its topology and files into one bundle for air-gapped hosts",
  },
  args: {
    images: { type: "positional", description: "Images to save (default: the lab's)", required: false },
    ...topoArgs,
    output: { type: "string", alias: "o", description: "The bundle file to write (a tar)", required: true },
    "from-registry": { type: "boolean", description: "Take the images from their registries, not the local engine" },
    files: {
      type: "boolean",
      default: true,
      description: "--no-files: leave out the files the topology references (binds, configs, licences)",
    },
    platform: {
      type: "string",
      description: "With --from-registry: os/arch of a multi-arch image (default: this host's)",
    },
    ...registryArgs,
    ...formatArgs,
    ...globalArgs,
  },
  async run({ args, rawArgs }) {
    const named = (args._ as string[]).filter(Boolean);
    // The lab when -t is given, or when no image is named (the topology in this directory).
    const lab = args.topo || !named.length ? await loadTopology(args.topo, topoOptions(args, rawArgs)) : undefined;
    const images = [
      ...named,
      ...(lab?.nodes.filter((n) => n.image && n.kind.role === "container").map((n) => n.image as string) ?? []),
    ];
    if (!images.length) throw new LabError("input", `${lab?.file ?? "the command"} names no container images`);
    const { platform, docker } = await cliContext();
    const options = await sessionOptions(args);
    const reporter = terminalReporter();
    const started = performance.now();
    const result = await saveBundle(
      {
        images,
        out: args.output,
        lab,
        files: args.files !== false,
        fromRegistry: args["from-registry"],
        platform: parsePlatform(args.platform),
        signal: interruptSignal(() => logger.warn("interrupted: removing the partial bundle")),
      },
      {
        docker,
        reporter,
        registry: (ref) => registrySession(ref.registry, { ...options, repository: ref.repository }, platform),
      },
    );
    for (const s of result.skipped)
      logger.warn(`${s} is outside the topology's directory: not in the bundle (copy it to the other host yourself)`);
    if (args.format === "json") return printJson(result);
    const layers = result.images.reduce((n, i) => n + i.stored, 0);
    logger.success(
      `saved ${result.images.length} image${result.images.length === 1 ? "" : "s"} (${layers} layers stored once)${
        lab ? `, lab ${lab.name} and ${result.files.length} files` : ""
      } to ${result.file}: ${(result.bytes / 1e6).toFixed(1)} MB in ${((performance.now() - started) / 1000).toFixed(1)}s`,
    );
  },
});
