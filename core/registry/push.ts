import { posix } from "node:path";
import type { DockerClient, ImageInspect } from "../../runtime/docker/index.ts";
import type { Reporter } from "../deploy/reporter.ts";
import { LabError } from "../errors.ts";
import { BlobUpload, blobExists, mountBlob, pushScope, RestartBlob, uploadBytes } from "./blobs.ts";
import type { BlobCache } from "./cache.ts";
import type { RegistryClient } from "./client.ts";
import { type Compression, compressLayer, digestOf, sha256 } from "./compress.ts";
import { buildManifest, type Descriptor, INDEX_TYPES, layerMediaType, type ManifestFormat } from "./manifest.ts";
import { formatReference, type ImageReference } from "./reference.ts";
import { ByteReader, tarEntries } from "./tar.ts";

/** What is pushed: an image the engine exports, or one read from elsewhere (a bundle). */
export interface ImageSource {
  inspect: Pick<ImageInspect, "Id" | "RootFS" | "Os" | "Architecture">;
  /** A `docker save`-shaped tar of the image (legacy, Podman or OCI layout). */
  export(signal?: AbortSignal): Promise<ReadableStream<Uint8Array>>;
}

export interface PushOptions {
  source: string;
  /** Where the image comes from; the local engine's `source` when absent. */
  from?: ImageSource;
  dest: ImageReference;
  compression: Compression;
  format: ManifestFormat;
  concurrency: number;
  signal?: AbortSignal;
}

export interface PushDeps {
  docker: DockerClient;
  client: RegistryClient;
  cache: BlobCache;
  reporter: Reporter;
}

export type LayerStatus = "uploaded" | "skipped" | "mounted";

export interface PushResult {
  reference: string;
  digest: string;
  mediaType: string;
  /** false when nothing had to be exported (every blob already in the registry). */
  exported: boolean;
  layers: (Descriptor & { status: LayerStatus; from?: string })[];
}

/** Blobs this small are kept in memory while the export streams (configs, manifests, tiny layers). */
const SMALL = 1 << 20;

interface LayerResult extends Descriptor {
  diffID?: string;
  status: LayerStatus;
  from?: string;
}

const short = (digest: string) => digest.replace(/^sha256:/, "").slice(0, 12);

/**
 * The blob cache's key for a registry: the registry and the account, so a mount is only tried from a
 * repository these same credentials reached before (another account's project refuses it on Harbor).
 */
export const cacheScope = (client: RegistryClient) =>
  client.account ? `${client.registry}#${client.account}` : client.registry;

/** Makes `digest` present in `repo`: already there, or mounted from a repo the cache remembers. */
async function ensurePresent(
  client: RegistryClient,
  repo: string,
  digest: string,
  knownRepo: string | undefined,
  signal?: AbortSignal,
  onRefused?: (from: string) => void,
): Promise<LayerStatus | undefined> {
  if ((await blobExists(client, repo, digest, signal)) !== undefined) return "skipped";
  if (knownRepo && knownRepo !== repo) {
    if (await mountBlob(client, repo, digest, knownRepo, signal)) return "mounted";
    onRefused?.(knownRepo);
  }
  return undefined;
}

/** Says once per source repository that a mount was refused and the blobs are uploaded instead. */
function refusedMounts(reporter: PushDeps["reporter"]) {
  const said = new Set<string>();
  return (from: string) => {
    if (said.has(from)) return;
    said.add(from);
    reporter.info(`the registry refused to mount blobs from ${from} (this account cannot read it): uploading them`);
  };
}

/** PUTs a manifest under a tag or digest; the digest the registry reports (or the bytes' own). */
export async function putManifest(
  client: RegistryClient,
  repo: string,
  tag: string,
  mediaType: string,
  bytes: Uint8Array,
  signal?: AbortSignal,
) {
  const r = await client.request("PUT", `/v2/${repo}/manifests/${tag}`, {
    scopes: [pushScope(repo)],
    headers: { "content-type": mediaType },
    body: bytes,
    accept: [201, 200],
    what: `push manifest ${repo}:${tag}`,
    signal,
  });
  await r.body?.cancel();
  return r.headers.get("docker-content-digest") ?? digestOf(bytes);
}

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
      return await exportAndPush(inspect, from, options, deps, badHints);
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

async function exportAndPush(
  inspect: ImageSource["inspect"],
  from: ImageSource,
  options: PushOptions,
  deps: PushDeps,
  badHints: Set<string>,
): Promise<PushResult> {
  const { client, cache, reporter } = deps;
  const { repository: repo } = options.dest;
  // What this account pushed before, and where: mounts are only tried from those repositories.
  const registry = cacheScope(client);
  const refused = refusedMounts(reporter);
  const diffIDs = new Set(inspect.RootFS.Layers ?? []);
  const layerType = layerMediaType(options.format, options.compression);
  const results = new Map<string, LayerResult>();
  const matched = new Set<string>();
  // Size hints come only from what was cached before this export began, never from layers it uploads.
  const hintsBySize = new Map<number, [string, ReturnType<BlobCache["bySize"]>[number][1]][]>();
  const hintFor = (size: number) => {
    if (!hintsBySize.has(size)) hintsBySize.set(size, cache.bySize(registry, options.compression, size));
    const candidates = (hintsBySize.get(size) ?? []).filter(
      ([d]) => diffIDs.has(d) && !matched.has(d) && !badHints.has(d),
    );
    // Two unmatched layers of one size cannot be told apart before they are read.
    return candidates.length === 1 ? candidates[0] : undefined;
  };
  const aliases = new Map<string, string>();
  const commits: Promise<void>[] = [];
  const small = new Map<string, Uint8Array>();

  /** Compresses (or not) an uncompressed layer and uploads it while it streams. */
  const pushLayer = async (
    chunks: AsyncIterable<Uint8Array>,
    size: number,
    label: string,
    knownDiffID?: string,
  ): Promise<LayerResult> => {
    const known = knownDiffID ? cache.layer(registry, options.compression, knownDiffID) : undefined;
    if (known && knownDiffID) {
      const status = await ensurePresent(client, repo, known.digest, known.repo, options.signal, refused);
      if (status) {
        for await (const _ of chunks) {
          // drained: the registry has it
        }
        reporter.progressDone?.(label, status === "mounted" ? `mounted from ${known.repo}` : "skipped: already exists");
        return { ...known, mediaType: known.mediaType, diffID: knownDiffID, status, from: known.repo };
      }
    }
    // Legacy exports name layers by an id we cannot map to a diffID before reading them; a cached
    // layer of exactly this size that the registry has is verified by hash instead of uploaded.
    const hint = knownDiffID ? undefined : hintFor(size);
    if (hint) {
      const [diffID, entry] = hint;
      const status = await ensurePresent(client, repo, entry.digest, entry.repo, options.signal, refused);
      if (status) {
        const h = sha256();
        for await (const c of chunks) h.update(c);
        if (`sha256:${h.digest("hex")}` !== diffID) {
          badHints.add(diffID);
          throw new RestartBlob(`layer ${label} was not the cached layer its size suggested`);
        }
        matched.add(diffID);
        reporter.progressDone?.(label, status === "mounted" ? `mounted from ${entry.repo}` : "skipped: already exists");
        return { ...entry, diffID, status, from: entry.repo };
      }
    }
    let sent = 0;
    const upload = await BlobUpload.start(client, repo, {
      signal: options.signal,
      onSent: (n) => {
        sent += n;
        reporter.progress?.(label, sent, size, "uploading");
      },
    });
    // Uncompressed, the blob is the layer: one hash serves as both diffID and digest.
    const input = sha256();
    const hashes = { input, output: options.compression === "none" ? input : sha256() };
    let bytes = 0;
    try {
      const compressed = compressLayer(
        chunks,
        { compression: options.compression, concurrency: options.concurrency },
        hashes,
      );
      await upload.stream(
        (async function* () {
          for await (const out of compressed) {
            bytes += out.length;
            yield out;
          }
        })(),
      );
      const digest = `sha256:${hashes.output.digest("hex")}`;
      const diffID = options.compression === "none" ? digest : `sha256:${hashes.input.digest("hex")}`;
      if (knownDiffID && diffID !== knownDiffID)
        throw new LabError("engine", `the engine exported layer ${knownDiffID} with different content (${diffID})`);
      const entry = { repo, digest, size: bytes, mediaType: layerType, uncompressedSize: size };
      matched.add(diffID);
      // The registry verifies the blob on commit; the next layer streams meanwhile.
      commits.push(
        upload.finish(digest).then(() => {
          cache.setLayer(registry, options.compression, diffID, entry);
          reporter.progressDone?.(label, `uploaded ${(bytes / 1e6).toFixed(1)} MB`);
        }),
      );
      commits.at(-1)?.catch(() => {});
      return { ...entry, diffID, status: "uploaded" };
    } catch (error) {
      await upload.cancel();
      throw error;
    }
  };

  /** An already compressed blob (containerd store): pushed byte for byte under its own digest. */
  const pushRaw = async (chunks: AsyncIterable<Uint8Array>, size: number, digest: string): Promise<LayerResult> => {
    if ((await blobExists(client, repo, digest, options.signal)) !== undefined) {
      for await (const _ of chunks) {
        // drained
      }
      reporter.progressDone?.(short(digest), "skipped: already exists");
      return { mediaType: "", size, digest, status: "skipped" };
    }
    const upload = await BlobUpload.start(client, repo, { signal: options.signal });
    const h = sha256();
    try {
      await upload.stream(
        (async function* () {
          for await (const c of chunks) {
            h.update(c);
            yield c;
          }
        })(),
      );
      if (`sha256:${h.digest("hex")}` !== digest)
        throw new LabError("engine", `blob ${digest} in the export does not match its digest`);
      await upload.finish(digest);
    } catch (error) {
      await upload.cancel();
      throw error;
    }
    reporter.progressDone?.(short(digest), `uploaded ${(size / 1e6).toFixed(1)} MB`);
    return { mediaType: "", size, digest, status: "uploaded" };
  };

  const stream = await from.export(options.signal);
  const reader = new ByteReader(stream);
  try {
    for await (const entry of tarEntries(reader)) {
      const name = entry.name;
      if (entry.type === "2") {
        aliases.set(name, posix.normalize(posix.join(posix.dirname(name), entry.linkname)));
        continue;
      }
      if (entry.type !== "0" && entry.type !== "7") continue;
      const blobDigest = name.startsWith("blobs/sha256/") ? `sha256:${name.slice("blobs/sha256/".length)}` : undefined;
      // Docker's legacy layout: <id>/layer.tar; Podman's: <diffID>.tar at the top (its <id>/layer.tar
      // is a symlink to it).
      const isLegacyLayer = name.endsWith("/layer.tar") || /^[0-9a-f]{64}\.tar$/.test(name);
      const isDiff = blobDigest !== undefined && diffIDs.has(blobDigest);
      if (!isLegacyLayer && !isDiff && entry.size <= SMALL) {
        small.set(name, await reader.read(entry.size));
        continue;
      }
      const chunks = reader.chunks(entry.size);
      if (isLegacyLayer)
        results.set(name, await pushLayer(chunks, entry.size, name.split("/")[0]?.slice(0, 12) ?? name));
      else if (isDiff) results.set(name, await pushLayer(chunks, entry.size, short(blobDigest as string), blobDigest));
      else if (blobDigest) results.set(name, await pushRaw(chunks, entry.size, blobDigest));
    }
  } finally {
    await reader.cancel();
  }

  const text = (path: string) => {
    const data = small.get(path);
    if (!data) throw new LabError("engine", `the image export has no ${path}`);
    return new TextDecoder().decode(data);
  };
  const items = JSON.parse(text("manifest.json")) as { Config: string; Layers: string[]; RepoTags?: string[] }[];
  const item = items[0];
  if (!item) throw new LabError("engine", "the image export lists no image in manifest.json");
  const resolve = (p: string) => aliases.get(p) ?? p;

  // Layers small enough to have been kept in memory are pushed now.
  for (const path of item.Layers.map(resolve)) {
    if (results.has(path)) continue;
    const data = small.get(path);
    if (!data) throw new LabError("engine", `the image export has no layer ${path}`);
    const digest = path.startsWith("blobs/sha256/") ? `sha256:${path.slice(13)}` : undefined;
    async function* once() {
      yield data as Uint8Array;
    }
    results.set(
      path,
      digest && !diffIDs.has(digest)
        ? await pushRaw(once(), data.length, digest)
        : await pushLayer(once(), data.length, short(digest ?? path), digest),
    );
  }

  await Promise.all(commits);
  const layerResults = item.Layers.map((p) => results.get(resolve(p)) as LayerResult);
  const compressedExport = layerResults.some((l) => l.status !== undefined && !l.diffID && l.mediaType === "");

  let manifestType: string;
  let manifestBytes: Uint8Array;
  if (compressedExport && small.has("index.json")) {
    // containerd store: keep the image's own manifest (and so its digest); push config and manifest as they are.
    ({ mediaType: manifestType, bytes: manifestBytes } = pickManifest(small, inspect));
    const manifest = JSON.parse(new TextDecoder().decode(manifestBytes)) as { config: Descriptor };
    const configData = small.get(`blobs/sha256/${manifest.config.digest.slice(7)}`);
    if (!configData) throw new LabError("engine", "the image export has no config blob");
    if ((await blobExists(client, repo, manifest.config.digest, options.signal)) === undefined) {
      await uploadBytes(client, repo, configData, manifest.config.digest, options.signal);
    }
  } else {
    const configData = small.get(resolve(item.Config));
    if (!configData) throw new LabError("engine", `the image export has no config ${item.Config}`);
    const configDigest = digestOf(configData);
    if ((await blobExists(client, repo, configDigest, options.signal)) === undefined) {
      await uploadBytes(client, repo, configData, configDigest, options.signal);
    }
    cache.setConfig(registry, configDigest, { repo, size: configData.length });
    const order = inspect.RootFS.Layers ?? [];
    const got = layerResults.map((l) => l.diffID);
    if (order.length && got.join() !== order.join())
      throw new LabError("engine", "the exported layers do not match the image's diffIDs");
    ({ mediaType: manifestType, bytes: manifestBytes } = buildManifest(
      options.format,
      { size: configData.length, digest: configDigest },
      layerResults,
    ));
  }
  const digest = await putManifest(
    client,
    repo,
    options.dest.tag as string,
    manifestType,
    manifestBytes,
    options.signal,
  );
  return {
    reference: formatReference(options.dest),
    digest,
    mediaType: manifestType,
    exported: true,
    layers: layerResults.map((l) => ({
      mediaType: l.mediaType || layerType,
      size: l.size,
      digest: l.digest,
      status: l.status,
      from: l.from,
    })),
  };
}

/** From a containerd-store export: the platform manifest the daemon runs (an index is narrowed). */
function pickManifest(
  small: Map<string, Uint8Array>,
  inspect: ImageSource["inspect"],
): { mediaType: string; bytes: Uint8Array } {
  const json = (path: string) =>
    JSON.parse(new TextDecoder().decode(small.get(path) ?? new Uint8Array())) as Record<string, unknown>;
  const blob = (d: string) => small.get(`blobs/sha256/${d.slice(7)}`);
  const index = json("index.json") as {
    manifests?: (Descriptor & { platform?: { os: string; architecture: string } })[];
  };
  let desc = index.manifests?.[0];
  for (let depth = 0; desc && INDEX_TYPES.has(desc.mediaType) && depth < 3; depth++) {
    const inner = JSON.parse(new TextDecoder().decode(blob(desc.digest))) as typeof index;
    desc =
      inner.manifests?.find(
        (m) => m.platform?.os === inspect.Os && m.platform?.architecture === inspect.Architecture,
      ) ?? inner.manifests?.[0];
  }
  const bytes = desc ? blob(desc.digest) : undefined;
  if (!desc || !bytes) throw new LabError("engine", "the image export has no manifest for this platform");
  return { mediaType: desc.mediaType, bytes };
}
