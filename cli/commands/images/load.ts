import { statSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { defineCommand } from "citty";
import { LabError } from "../../../core/errors.ts";
import {
  bundleTargets,
  extractLab,
  loadIntoEngine,
  openBundle,
  pushBundle,
} from "../../../core/registry/bundle-load.ts";
import { BlobCache, cachePath } from "../../../core/registry/cache.ts";
import type { Compression } from "../../../core/registry/compress.ts";
import { parseReference } from "../../../core/registry/reference.ts";
import { registrySession } from "../../../core/registry/session.ts";
import { rewriteImages } from "../../../core/registry/topology.ts";
import { cliContext } from "../../context.ts";
import { logger } from "../../logger.ts";
import { printJson } from "../../render/output.ts";
import { terminalReporter } from "../../render/progress.ts";
import { formatArgs, globalArgs } from "../_shared.ts";
import { registryArgs, sessionOptions } from "./_shared.ts";

export default defineCommand({
  meta: {
    name: "load",
    description: "Load a bundle from lab images save into the engine, or push it into a registry; unpack its lab",
  },
  args: {
    input: { type: "string", alias: "i", description: "The bundle (from lab images save)", required: true },
    dir: {
      type: "string",
      alias: "C",
      description: "Where to unpack the lab's topology and files (default: ./<lab name>)",
    },
    to: { type: "string", description: "Push the images to REGISTRY/PROJECT instead of loading them" },
    rewrite: {
      type: "string",
      description: "With --to: also write the topology, images pointing at the registry, here",
    },
    compression: {
      type: "enum",
      options: ["gzip", "zstd", "none"],
      default: "gzip",
      description: "With --to: layer compression",
    },
    ...registryArgs,
    ...formatArgs,
    ...globalArgs,
  },
  async run({ args }) {
    const { platform, docker } = await cliContext();
    const reporter = terminalReporter();
    const bundle = await openBundle(args.input, reporter);
    const summary: Record<string, unknown> = { bundle: resolve(args.input), images: bundle.images.map((i) => i.ref) };
    const targets = args.to ? bundleTargets(bundle.images, args.to) : undefined;
    if (targets && args.to) {
      const dest = parseReference(`${args.to.replace(/\/+$/, "")}/x:1`);
      const options = await sessionOptions(args);
      const cache = await BlobCache.open(cachePath(platform.env));
      try {
        const client = await registrySession(dest.registry, { ...options, repository: dest.repository }, platform);
        const pushed = await pushBundle(
          bundle,
          targets,
          { compression: args.compression as Compression, format: "v2s2", concurrency: availableParallelism() * 2 },
          async () => ({ docker, client, cache, reporter }),
        );
        summary.pushed = pushed.map((p) => ({
          reference: p.reference,
          digest: p.digest,
          layers: p.layers.map((l) => ({ digest: l.digest, size: l.size, status: l.status })),
        }));
        for (const p of pushed) logger.success(`pushed ${p.reference} (${p.digest})`);
      } finally {
        await cache.save();
      }
    } else {
      const loaded = await loadIntoEngine(bundle, docker, statSync(args.input).size);
      summary.loaded = loaded;
      logger.success(`loaded ${loaded.join(", ") || "nothing"} into the engine`);
    }
    if (bundle.meta.lab && bundle.meta.topology) {
      const dir = resolve(args.dir ?? bundle.meta.lab);
      const files = await extractLab(bundle, dir);
      const topology = join(dir, bundle.meta.topology);
      summary.topology = topology;
      summary.files = files;
      for (const f of files.kept) logger.info(`kept ${join(dir, f)}: already there`);
      logger.success(`unpacked lab ${bundle.meta.lab} into ${dir}: lab up -t ${topology}`);
      if (targets) {
        // The unpacked lab runs from the registry the images went to.
        const text = await rewriteImages(topology, targets);
        if (files.written.includes(bundle.meta.topology)) await writeFile(topology, text);
        if (args.rewrite) await writeFile(args.rewrite, text);
        logger.success(`${args.rewrite ?? topology} has the images pointing at ${args.to}`);
      }
    } else if (args.rewrite) throw new LabError("usage", "--rewrite needs a bundle with a lab in it");
    if (args.format === "json") printJson(summary);
  },
});
