import { availableParallelism } from "node:os";
import { defineCommand } from "citty";
import { LabError } from "../../../core/errors.ts";
import { BlobCache, cachePath } from "../../../core/registry/cache.ts";
import type { Compression } from "../../../core/registry/compress.ts";
import type { ManifestFormat } from "../../../core/registry/manifest.ts";
import { type PushResult, pushImage } from "../../../core/registry/push.ts";
import { parseReference } from "../../../core/registry/reference.ts";
import { registrySession } from "../../../core/registry/session.ts";
import { cliContext } from "../../context.ts";
import { logger } from "../../logger.ts";
import { printJson } from "../../render/output.ts";
import { terminalReporter } from "../../render/progress.ts";
import { verboseArgs } from "../_shared.ts";
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
    source: { type: "positional", description: "Local image, e.g. vrnetlab/nokia_sros:24.7.R1", required: true },
    dest: { type: "positional", description: "registry[:port]/repo:tag", required: true },
    compression: { type: "enum", options: ["gzip", "zstd", "none"], default: "gzip", description: "Layer compression" },
    format: {
      type: "string",
      description: "Manifest format v2s2 (default) or oci; json for a JSON summary (e.g. oci,json)",
    },
    ...registryArgs,
    ...verboseArgs,
  },
  async run({ args }) {
    const format = parseFormat(args.format);
    const dest = parseReference(args.dest);
    if (dest.registry === "docker.io" && !args.dest.startsWith("docker.io/")) {
      throw new LabError("usage", `${args.dest} names no registry`, {
        hint: "Use registry[:port]/repo:tag, e.g. harbor.example.com/library/sros:24.7",
      });
    }
    const { platform, docker } = await cliContext();
    const client = await registrySession(dest.registry, await sessionOptions(args), platform);
    const cache = await BlobCache.open(cachePath(platform.env));
    const reporter = terminalReporter();
    const started = performance.now();
    let result: PushResult;
    try {
      result = await pushImage(
        {
          source: args.source,
          dest,
          compression: args.compression as Compression,
          format: format.manifest,
          concurrency: availableParallelism() + 1,
        },
        { docker, client, cache, reporter },
      );
    } finally {
      await cache.save();
    }
    const seconds = (performance.now() - started) / 1000;
    if (format.json) return printJson({ ...result, seconds: Number(seconds.toFixed(3)) });
    logger.success(
      `pushed ${result.reference} in ${seconds.toFixed(1)}s${result.exported ? "" : " (every blob was already there; nothing exported)"}`,
    );
    process.stdout.write(`${result.digest}\n`);
  },
});
