import type { DockerClient } from "../../runtime/docker/index.ts";
import { LabError } from "../errors.ts";
import { RestartBlob } from "./blobs.ts";
import { ExportPush } from "./export-push.ts";
import { buildManifest } from "./manifest.ts";
import {
  cacheScope,
  ensurePresent,
  type ImageSource,
  type LayerStatus,
  type PushDeps,
  type PushOptions,
  type PushResult,
  putManifest,
  refusedMounts,
  short,
} from "./push-common.ts";
import { formatReference } from "./reference.ts";

// lab images push: from the blob cache alone when the registry has every blob, else from one
// streamed export of the image (export-push.ts), restarted when a guessed layer was wrong.

/** Fast path: every layer and the config are known for this registry; no export at all. */
async function pushFromCache(
  inspect: ImageSource["inspect"],
  options: PushOptions,
  deps: PushDeps,
): Promise<PushResult | undefined> {
  const { repository: repo } = options.dest;
  const registry = cacheScope(deps.client);
  const diffIDs = inspect.RootFS.Layers ?? [];
  const config = deps.cache.config(registry, inspect.Id);
  const cached = diffIDs.map((d) => deps.cache.layer(registry, options.compression, d));
  if (!config || cached.some((c) => !c) || !diffIDs.length) return undefined;
  const refused = refusedMounts(deps.reporter);
  const statuses = await Promise.all(
    [...cached, { digest: inspect.Id, repo: config.repo }].map((c) =>
      ensurePresent(
        deps.client,
        repo,
        (c as { digest: string }).digest,
        (c as { repo: string }).repo,
        options.signal,
        refused,
      ),
    ),
  );
  if (statuses.some((s) => !s)) return undefined;
  const layers = cached.map((c, i) => ({
    mediaType: c?.mediaType as string,
    size: c?.size as number,
    digest: c?.digest as string,
    status: statuses[i] as LayerStatus,
    from: statuses[i] === "mounted" ? c?.repo : undefined,
  }));
  for (const l of layers)
    deps.reporter.progressDone?.(
      short(l.digest),
      l.status === "mounted" ? `mounted from ${l.from}` : "skipped: already exists",
    );
  const manifest = buildManifest(options.format, { size: config.size, digest: inspect.Id }, layers);
  const digest = await putManifest(
    deps.client,
    repo,
    options.dest.tag as string,
    manifest.mediaType,
    manifest.bytes,
    options.signal,
  );
  for (const c of cached) if (c) c.repo = repo;
  return { reference: formatReference(options.dest), digest, mediaType: manifest.mediaType, exported: false, layers };
}

/**
 * Copies a local image into a registry, skopeo-style but streamed: the daemon's export is read once,
 * layers are compressed on all cores and uploaded as they pass, nothing is spooled to disk. Unchanged
 * images are pushed from the blob cache without exporting at all.
 */
export async function pushImage(options: PushOptions, deps: PushDeps): Promise<PushResult> {
  if (options.dest.digest) {
    throw new LabError("input", `cannot push to a digest reference (${formatReference(options.dest)})`, {
      hint: "Give the destination a tag",
    });
  }
  const from = options.from ?? (await engineSource(deps.docker, options.source));
  const inspect = from.inspect;
  await deps.client.connect();
  const fast = await pushFromCache(inspect, options, deps);
  if (fast) return fast;
  const badHints = new Set<string>();
  for (let attempt = 1; ; attempt++) {
    try {
      return await new ExportPush(inspect, options, deps, badHints).run(from);
    } catch (error) {
      if (!(error instanceof RestartBlob) || attempt >= 3) {
        if (error instanceof RestartBlob)
          throw new LabError("remote", `push to ${deps.client.registry} failed: ${error.message}`);
        throw error;
      }
      deps.reporter.warn(`${error.message}; exporting again to resend that layer (attempt ${attempt + 1} of 3)`);
    }
  }
}

/** The local engine's image, exported through its API. */
async function engineSource(docker: DockerClient, ref: string): Promise<ImageSource> {
  const inspect = await docker.images.find(ref);
  if (!inspect)
    throw new LabError("not-found", `no such local image: ${ref}`, { hint: "See lab images ls or docker images" });
  return { inspect, export: (signal) => docker.images.export([ref], signal) };
}
