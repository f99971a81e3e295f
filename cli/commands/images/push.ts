import { writeFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { defineCommand } from "citty";
import { LabError } from "../../../core/errors.ts";
import { BlobCache, cachePath } from "../../../core/registry/cache.ts";
import type { Compression } from "../../../core/registry/compress.ts";
import type { ManifestFormat } from "../../../core/registry/manifest.ts";
import { pushImage } from "../../../core/registry/push.ts";
import type { PushResult } from "../../../core/registry/push-common.ts";
import { parseReference } from "../../../core/registry/reference.ts";
import { registrySession } from "../../../core/registry/session.ts";
import { rewriteImages, targetsFor } from "../../../core/registry/topology.ts";
import { cliContext } from "../../context.ts";
import { logger } from "../../logger.ts";
import { out } from "../../out.ts";
import { printJson } from "../../render/output.ts";
import { terminalReporter } from "../../render/progress.ts";
import { globalArgs, loadTopology, topoArgs, topoOptions } from "../_shared.ts";
import { registryArgs, sessionOptions } from "./_shared.ts";

/** `--format` names both the manifest format (v2s2|oci) and the output (json); a comma list takes both. */
function parseFormat(value: string | undefined): { manifest: ManifestFormat; json: boolean } {
  const parts = (value ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  const bad = parts.filter((p) => !["v2s2", "docker", "oci", "json", "table"].includes(p));
  if (bad.length) throw new LabError("usage", `--format ${bad.join(",")} is not one of v2s2, oci, json`);
  return { manifest: parts.includes("oci") ? "oci" : "v2s2", json: parts.includes("json") };
}

export default defineCommand({
  meta: {
    name: "push",
    description: "Copy an image from the Docker daemon into a registry (streamed, compressed on all cores)",
  },
  args: {
    source: { type: "positional", description: "Local image, e.g. vrnetlab/nokia_sros:24.7.R1", required: false },
    dest: { type: "positional", description: "registry[:port]/repo:tag", required: false },
    ...topoArgs,
    to: { type: "string", description: "With -t: push every image of the topology to REGISTRY/PROJECT" },
    rewrite: {
      type: "string",
      description: "With -t: write the topology, images pointing at the registry, to this file (default: stdout)",
    },
    compression: { type: "enum", options: ["gzip", "zstd", "none"], default: "gzip", description: "Layer compression" },
    format: {
      type: "string",
      description: "Manifest format v2s2 (default) or oci; json for a JSON summary (e.g. oci,json)",
    },
    ...registryArgs,
    ...globalArgs,
  },
  async run({ args, rawArgs }) {
    const format = parseFormat(args.format);
    let pairs: [string, string][];
    let lab: Awaited<ReturnType<typeof loadTopology>> | undefined;
    if (args.topo) {
      if (!args.to)
        throw new LabError("usage", "-t needs --to REGISTRY/PROJECT", {
          hint: "e.g. lab images push -t lab.clab.yml --to harbor.example.com/library",
        });
      lab = await loadTopology(args.topo, topoOptions(args, rawArgs));
      pairs = [...targetsFor(lab, args.to)];
      if (!pairs.length) throw new LabError("input", `${lab.file} uses no container images`);
    } else {
      if (!args.source || !args.dest)
        throw new LabError("usage", "lab images push needs SOURCE and DEST", {
          hint: "lab images push vrnetlab/sros:24.7 registry/library/sros:24.7, or -t FILE --to REGISTRY/PROJECT",
        });
      pairs = [[args.source, args.dest]];
    }
    const dests = pairs.map(([, d]) => {
      const ref = parseReference(d);
      if (ref.registry === "docker.io" && !d.startsWith("docker.io/")) {
        throw new LabError("usage", `${d} names no registry`, {
          hint: "Use registry[:port]/repo:tag, e.g. harbor.example.com/library/sros:24.7",
        });
      }
      return ref;
    });
    const { platform, docker } = await cliContext();
    const options = await sessionOptions(args);
    const cache = await BlobCache.open(cachePath(platform.env));
    const reporter = terminalReporter();
    const results: (PushResult & { source: string; seconds: number })[] = [];
    try {
      for (const [i, [source]] of pairs.entries()) {
        const dest = dests[i] as ReturnType<typeof parseReference>;
        const client = await registrySession(dest.registry, { ...options, repository: dest.repository }, platform);
        const started = performance.now();
        const result = await pushImage(
          {
            source,
            dest,
            compression: args.compression as Compression,
            format: format.manifest,
            concurrency: availableParallelism() * 2,
          },
          { docker, client, cache, reporter },
        );
        const seconds = (performance.now() - started) / 1000;
        results.push({ ...result, source, seconds: Number(seconds.toFixed(3)) });
        logger.success(
          `pushed ${source} → ${result.reference} in ${seconds.toFixed(1)}s${result.exported ? "" : " (every blob was already there; nothing exported)"}`,
        );
      }
    } finally {
      await cache.save();
    }
    if (lab && args.topo) {
      const text = await rewriteImages(lab.file, new Map(pairs));
      if (args.rewrite) {
        await writeFile(args.rewrite, text);
        logger.success(`wrote ${args.rewrite} with the images pointing at ${args.to}`);
      } else if (!format.json) out(text);
    }
    if (format.json) return printJson(args.topo ? results : results[0]);
    if (!args.topo) out(`${results[0]?.digest}\n`);
  },
});
