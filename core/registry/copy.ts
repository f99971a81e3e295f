import { mapLimit } from "../deploy/pool.ts";
import type { Reporter } from "../deploy/reporter.ts";
import { LabError } from "../errors.ts";
import { BlobUpload, blobExists, mountBlob, RestartBlob } from "./blobs.ts";
import type { RegistryClient } from "./client.ts";
import type { Descriptor } from "./manifest.ts";
import { INDEX_TYPES } from "./manifest.ts";
import { blobChunks, type FetchedManifest, getManifest, type Platform, parseManifest, pickPlatform } from "./pull.ts";
import { putManifest } from "./push-common.ts";
import { formatReference, type ImageReference } from "./reference.ts";

// Registry to registry, as `skopeo copy docker://… docker://…` does it: manifests are copied byte for
// byte (so digests are kept), blobs stream from one connection into the other without touching
// disk, and within one registry blobs are mounted instead of sent.

export interface CopyOptions {
  src: ImageReference;
  dest: ImageReference;
  /** Keep a multi-arch index whole (every platform); otherwise one platform is picked from it. */
  all: boolean;
  platform: Platform;
  /** Blobs in flight at once. */
  concurrency?: number;
  signal?: AbortSignal;
}

export interface CopyDeps {
  source: RegistryClient;
  dest: RegistryClient;
  reporter: Reporter;
}

export type BlobStatus = "copied" | "skipped" | "mounted";

export interface CopyResult {
  source: string;
  reference: string;
  digest: string;
  mediaType: string;
  /** Platform manifests copied (one unless an index was kept whole). */
  manifests: number;
  blobs: { digest: string; size: number; status: BlobStatus }[];
  bytes: number;
}

const short = (digest: string) => digest.replace(/^sha256:/, "").slice(0, 12);

/** Layers a registry must not redistribute (Windows base layers): skopeo leaves them out too. */
const foreign = (d: Descriptor) => /foreign|nondistributable/.test(d.mediaType);

/** Both references point at the same registry host, so a mount can replace the transfer. */
export const sameRegistry = (a: ImageReference, b: ImageReference) => a.registry === b.registry;

async function copyBlob(
  d: Descriptor,
  options: CopyOptions,
  deps: CopyDeps,
  seen: Map<string, Promise<BlobStatus>>,
): Promise<BlobStatus> {
  const known = seen.get(d.digest);
  if (known) return known;
  const work = (async (): Promise<BlobStatus> => {
    const { source, dest, reporter } = deps;
    const repo = options.dest.repository;
    const id = short(d.digest);
    if ((await blobExists(dest, repo, d.digest, options.signal)) !== undefined) {
      reporter.progressDone?.(id, "skipped: already exists");
      return "skipped";
    }
    if (
      sameRegistry(options.src, options.dest) &&
      (await mountBlob(dest, repo, d.digest, options.src.repository, options.signal))
    ) {
      reporter.progressDone?.(id, `mounted from ${options.src.repository}`);
      return "mounted";
    }
    for (let attempt = 1; ; attempt++) {
      let sent = 0;
      const upload = await BlobUpload.start(dest, repo, {
        signal: options.signal,
        onSent: (n) => {
          sent += n;
          reporter.progress?.(id, sent, d.size, "copying");
        },
      });
      try {
        await upload.stream(blobChunks(source, options.src.repository, d, options.signal));
        await upload.finish(d.digest);
        reporter.progressDone?.(id, "copied");
        return "copied";
      } catch (error) {
        await upload.cancel();
        if (!(error instanceof RestartBlob) || attempt >= 3) {
          if (error instanceof RestartBlob)
            throw new LabError("remote", `copy to ${dest.registry} failed: ${error.message}`);
          throw error;
        }
        reporter.warn(`${error.message}; sending ${id} again (attempt ${attempt + 1} of 3)`);
      }
    }
  })();
  seen.set(d.digest, work);
  return work;
}

/** Byte for byte, so the digest at the destination is the source's. */
async function putSame(client: RegistryClient, repo: string, ref: string, m: FetchedManifest, signal?: AbortSignal) {
  const digest = await putManifest(client, repo, ref, m.mediaType, m.bytes, signal);
  if (digest !== m.digest)
    throw new LabError("remote", `${client.registry} stored ${repo}:${ref} as ${digest}, not ${m.digest}`);
}

/** One platform image: its config and layers, then its manifest under `ref` (a tag or its digest). */
async function copyImage(
  m: FetchedManifest,
  ref: string,
  options: CopyOptions,
  deps: CopyDeps,
  seen: Map<string, Promise<BlobStatus>>,
  blobs: CopyResult["blobs"],
) {
  const image = parseManifest(m);
  if (!image.config || !Array.isArray(image.layers))
    throw new LabError(
      "remote",
      `${formatReference(options.src)} has a manifest of type ${m.mediaType} lab cannot read`,
    );
  const wanted = [image.config, ...image.layers.filter((l) => !foreign(l))];
  const statuses = await mapLimit(wanted, options.concurrency ?? 2, (d) => copyBlob(d, options, deps, seen));
  wanted.forEach((d, i) => {
    if (!blobs.some((b) => b.digest === d.digest))
      blobs.push({ digest: d.digest, size: d.size, status: statuses[i] as BlobStatus });
  });
  await putSame(deps.dest, options.dest.repository, ref, m, options.signal);
}

/**
 * Copies `src` to `dest`. An index is kept whole with `all` (each platform manifest pushed by digest,
 * then the index under the tag, digest unchanged); without it the platform asked for is copied
 * alone, under its own digest, as skopeo does without --all.
 */
export async function copyRegistryImage(options: CopyOptions, deps: CopyDeps): Promise<CopyResult> {
  const { src, dest } = options;
  const destRef = dest.tag ?? dest.digest;
  if (!destRef) throw new LabError("usage", `${formatReference(dest)} needs a tag`);
  await Promise.all([deps.source.connect(), deps.dest.connect()]);
  const top = await getManifest(deps.source, src.repository, src.digest ?? (src.tag as string), options.signal);
  const seen = new Map<string, Promise<BlobStatus>>();
  const blobs: CopyResult["blobs"] = [];
  let manifests = 1;
  let result = top;
  if (INDEX_TYPES.has(top.mediaType)) {
    const index = parseManifest(top);
    if (options.all) {
      const children = index.manifests ?? [];
      for (const child of children) {
        const m = await getManifest(deps.source, src.repository, child.digest, options.signal);
        if (INDEX_TYPES.has(m.mediaType))
          throw new LabError("input", `${formatReference(src)} nests an index in an index, which lab does not copy`);
        await copyImage(m, m.digest, options, deps, seen, blobs);
      }
      manifests = children.length;
      if (dest.digest && dest.digest !== top.digest)
        throw new LabError("usage", `${formatReference(dest)} names a digest other than the source's (${top.digest})`);
      await putSame(deps.dest, dest.repository, destRef, top, options.signal);
    } else {
      const picked = pickPlatform(index, options.platform, formatReference(src));
      result = await getManifest(deps.source, src.repository, picked.digest, options.signal);
      await copyImage(result, dest.digest ? result.digest : destRef, options, deps, seen, blobs);
    }
  } else {
    if (dest.digest && dest.digest !== top.digest)
      throw new LabError("usage", `${formatReference(dest)} names a digest other than the source's (${top.digest})`);
    await copyImage(top, destRef, options, deps, seen, blobs);
  }
  return {
    source: formatReference(src),
    reference: formatReference(dest),
    digest: result.digest,
    mediaType: result.mediaType,
    manifests,
    blobs,
    bytes: blobs.filter((b) => b.status === "copied").reduce((n, b) => n + b.size, 0),
  };
}
