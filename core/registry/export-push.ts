import { posix } from "node:path";
import { LabError } from "../errors.ts";
import { BlobUpload, blobExists, RestartBlob, uploadBytes } from "./blobs.ts";
import type { BlobCache } from "./cache.ts";
import { compressLayer, digestOf, sha256 } from "./compress.ts";
import { buildManifest, type Descriptor, INDEX_TYPES, layerMediaType } from "./manifest.ts";
import {
  cacheScope,
  ensurePresent,
  type ImageSource,
  type LayerResult,
  type PushDeps,
  type PushOptions,
  type PushResult,
  putManifest,
  refusedMounts,
  short,
} from "./push-common.ts";
import { formatReference } from "./reference.ts";
import { ByteReader, tarEntries } from "./tar.ts";

// One push from one streamed export of the image, in named steps (run): read the export's tar
// (layers go to the registry as they pass, small files are kept), push the layers that were small,
// wait for the commits, then the config and the manifest. A layer the registry already has (by the
// cache's word, or by a size it was matched to and then verified by hash) is not uploaded again.

/** Blobs this small are kept in memory while the export streams (configs, manifests, tiny layers). */
const SMALL = 1 << 20;

type SizeHint = [string, ReturnType<BlobCache["bySize"]>[number][1]];

interface ExportItem {
  Config: string;
  Layers: string[];
  RepoTags?: string[];
}

export class ExportPush {
  private readonly registry: string;
  private readonly repo: string;
  private readonly refused: (from: string) => void;
  private readonly diffIDs: Set<string>;
  private readonly layerType: string;
  private readonly results = new Map<string, LayerResult>();
  private readonly matched = new Set<string>();
  /** Size hints come only from what was cached before this export began, never from layers it uploads. */
  private readonly hintsBySize = new Map<number, SizeHint[]>();
  private readonly aliases = new Map<string, string>();
  private readonly commits: Promise<void>[] = [];
  private readonly small = new Map<string, Uint8Array>();

  constructor(
    private readonly inspect: ImageSource["inspect"],
    private readonly options: PushOptions,
    private readonly deps: PushDeps,
    /** Diff IDs a size wrongly suggested in an earlier attempt (the push restarts without them). */
    private readonly badHints: Set<string>,
  ) {
    this.registry = cacheScope(deps.client);
    this.repo = options.dest.repository;
    this.refused = refusedMounts(deps.reporter);
    this.diffIDs = new Set(inspect.RootFS.Layers ?? []);
    this.layerType = layerMediaType(options.format, options.compression);
  }

  async run(from: ImageSource): Promise<PushResult> {
    await this.readExport(from);
    const item = this.exportItem();
    await this.pushSmallLayers(item);
    await Promise.all(this.commits);
    const layers = item.Layers.map((p) => this.results.get(this.resolve(p)) as LayerResult);
    const manifest = await this.pushConfig(item, layers);
    const digest = await putManifest(
      this.deps.client,
      this.repo,
      this.options.dest.tag as string,
      manifest.mediaType,
      manifest.bytes,
      this.options.signal,
    );
    return {
      reference: formatReference(this.options.dest),
      digest,
      mediaType: manifest.mediaType,
      exported: true,
      layers: layers.map((l) => ({
        mediaType: l.mediaType || this.layerType,
        size: l.size,
        digest: l.digest,
        status: l.status,
        from: l.from,
      })),
    };
  }

  /** The export's tar, once: layers pushed as they stream by, small files kept, symlinks noted. */
  private async readExport(from: ImageSource): Promise<void> {
    const reader = new ByteReader(await from.export(this.options.signal));
    try {
      for await (const entry of tarEntries(reader)) {
        const name = entry.name;
        if (entry.type === "2") {
          this.aliases.set(name, posix.normalize(posix.join(posix.dirname(name), entry.linkname)));
          continue;
        }
        if (entry.type !== "0" && entry.type !== "7") continue;
        const blobDigest = name.startsWith("blobs/sha256/")
          ? `sha256:${name.slice("blobs/sha256/".length)}`
          : undefined;
        // Docker's legacy layout: <id>/layer.tar; Podman's: <diffID>.tar at the top (its <id>/layer.tar
        // is a symlink to it).
        const isLegacyLayer = name.endsWith("/layer.tar") || /^[0-9a-f]{64}\.tar$/.test(name);
        const isDiff = blobDigest !== undefined && this.diffIDs.has(blobDigest);
        if (!isLegacyLayer && !isDiff && entry.size <= SMALL) {
          this.small.set(name, await reader.read(entry.size));
          continue;
        }
        const chunks = reader.chunks(entry.size);
        if (isLegacyLayer)
          this.results.set(name, await this.pushLayer(chunks, entry.size, name.split("/")[0]?.slice(0, 12) ?? name));
        else if (isDiff)
          this.results.set(name, await this.pushLayer(chunks, entry.size, short(blobDigest as string), blobDigest));
        else if (blobDigest) this.results.set(name, await this.pushRaw(chunks, entry.size, blobDigest));
      }
    } finally {
      await reader.cancel();
    }
  }

  private text(path: string): string {
    const data = this.small.get(path);
    if (!data) throw new LabError("engine", `the image export has no ${path}`);
    return new TextDecoder().decode(data);
  }

  private resolve(path: string): string {
    return this.aliases.get(path) ?? path;
  }

  private exportItem(): ExportItem {
    const item = (JSON.parse(this.text("manifest.json")) as ExportItem[])[0];
    if (!item) throw new LabError("engine", "the image export lists no image in manifest.json");
    return item;
  }

  /** Layers small enough to have been kept in memory, pushed now. */
  private async pushSmallLayers(item: ExportItem): Promise<void> {
    for (const path of item.Layers.map((p) => this.resolve(p))) {
      if (this.results.has(path)) continue;
      const data = this.small.get(path);
      if (!data) throw new LabError("engine", `the image export has no layer ${path}`);
      const digest = path.startsWith("blobs/sha256/") ? `sha256:${path.slice(13)}` : undefined;
      async function* once() {
        yield data as Uint8Array;
      }
      this.results.set(
        path,
        digest && !this.diffIDs.has(digest)
          ? await this.pushRaw(once(), data.length, digest)
          : await this.pushLayer(once(), data.length, short(digest ?? path), digest),
      );
    }
  }

  /**
   * The config, and the manifest to PUT: a containerd store's own (its digest kept), else one built
   * from the layers as pushed, in the image's diffID order.
   */
  private async pushConfig(item: ExportItem, layers: LayerResult[]): Promise<{ mediaType: string; bytes: Uint8Array }> {
    const { client, cache } = this.deps;
    const signal = this.options.signal;
    const compressedExport = layers.some((l) => l.status !== undefined && !l.diffID && l.mediaType === "");
    if (compressedExport && this.small.has("index.json")) {
      const picked = pickManifest(this.small, this.inspect);
      const manifest = JSON.parse(new TextDecoder().decode(picked.bytes)) as { config: Descriptor };
      const configData = this.small.get(`blobs/sha256/${manifest.config.digest.slice(7)}`);
      if (!configData) throw new LabError("engine", "the image export has no config blob");
      if ((await blobExists(client, this.repo, manifest.config.digest, signal)) === undefined)
        await uploadBytes(client, this.repo, configData, manifest.config.digest, signal);
      return picked;
    }
    const configData = this.small.get(this.resolve(item.Config));
    if (!configData) throw new LabError("engine", `the image export has no config ${item.Config}`);
    const configDigest = digestOf(configData);
    if ((await blobExists(client, this.repo, configDigest, signal)) === undefined)
      await uploadBytes(client, this.repo, configData, configDigest, signal);
    cache.setConfig(this.registry, configDigest, { repo: this.repo, size: configData.length });
    const order = this.inspect.RootFS.Layers ?? [];
    if (order.length && layers.map((l) => l.diffID).join() !== order.join())
      throw new LabError("engine", "the exported layers do not match the image's diffIDs");
    return buildManifest(this.options.format, { size: configData.length, digest: configDigest }, layers);
  }

  /** A cached layer of exactly this size, the only unmatched one of that size (else undefined). */
  private hintFor(size: number): SizeHint | undefined {
    if (!this.hintsBySize.has(size))
      this.hintsBySize.set(size, this.deps.cache.bySize(this.registry, this.options.compression, size));
    const candidates = (this.hintsBySize.get(size) ?? []).filter(
      ([d]) => this.diffIDs.has(d) && !this.matched.has(d) && !this.badHints.has(d),
    );
    // Two unmatched layers of one size cannot be told apart before they are read.
    return candidates.length === 1 ? candidates[0] : undefined;
  }

  /** An uncompressed layer: skipped or mounted when the registry can have it, else compressed and uploaded. */
  private async pushLayer(
    chunks: AsyncIterable<Uint8Array>,
    size: number,
    label: string,
    knownDiffID?: string,
  ): Promise<LayerResult> {
    return (
      (knownDiffID ? await this.reuseKnown(chunks, label, knownDiffID) : await this.reuseBySize(chunks, size, label)) ??
      (await this.uploadLayer(chunks, size, label, knownDiffID))
    );
  }

  /** The cache knows this diffID's blob: present in the repository, or mounted into it. */
  private async reuseKnown(chunks: AsyncIterable<Uint8Array>, label: string, diffID: string) {
    const known = this.deps.cache.layer(this.registry, this.options.compression, diffID);
    if (!known) return undefined;
    const status = await ensurePresent(
      this.deps.client,
      this.repo,
      known.digest,
      known.repo,
      this.options.signal,
      this.refused,
    );
    if (!status) return undefined;
    await drain(chunks);
    this.deps.reporter.progressDone?.(
      label,
      status === "mounted" ? `mounted from ${known.repo}` : "skipped: already exists",
    );
    return { ...known, mediaType: known.mediaType, diffID, status, from: known.repo } satisfies LayerResult;
  }

  /**
   * Legacy exports name layers by an id that cannot be mapped to a diffID before reading them; a
   * cached layer of exactly this size that the registry has is verified by hash instead of uploaded.
   */
  private async reuseBySize(chunks: AsyncIterable<Uint8Array>, size: number, label: string) {
    const hint = this.hintFor(size);
    if (!hint) return undefined;
    const [diffID, entry] = hint;
    const status = await ensurePresent(
      this.deps.client,
      this.repo,
      entry.digest,
      entry.repo,
      this.options.signal,
      this.refused,
    );
    if (!status) return undefined;
    const h = sha256();
    for await (const c of chunks) h.update(c);
    if (`sha256:${h.digest("hex")}` !== diffID) {
      this.badHints.add(diffID);
      throw new RestartBlob(`layer ${label} was not the cached layer its size suggested`);
    }
    this.matched.add(diffID);
    this.deps.reporter.progressDone?.(
      label,
      status === "mounted" ? `mounted from ${entry.repo}` : "skipped: already exists",
    );
    return { ...entry, diffID, status, from: entry.repo } satisfies LayerResult;
  }

  /** Compresses (or not) the layer and uploads it while it streams; its commit runs behind the next layer. */
  private async uploadLayer(
    chunks: AsyncIterable<Uint8Array>,
    size: number,
    label: string,
    knownDiffID?: string,
  ): Promise<LayerResult> {
    const { client, cache, reporter } = this.deps;
    const { compression, concurrency, signal } = this.options;
    let sent = 0;
    const upload = await BlobUpload.start(client, this.repo, {
      signal,
      onSent: (n) => {
        sent += n;
        reporter.progress?.(label, sent, size, "uploading");
      },
    });
    // Uncompressed, the blob is the layer: one hash serves as both diffID and digest.
    const input = sha256();
    const hashes = { input, output: compression === "none" ? input : sha256() };
    let bytes = 0;
    try {
      const compressed = compressLayer(chunks, { compression, concurrency }, hashes);
      await upload.stream(
        (async function* () {
          for await (const out of compressed) {
            bytes += out.length;
            yield out;
          }
        })(),
      );
      const digest = `sha256:${hashes.output.digest("hex")}`;
      const diffID = compression === "none" ? digest : `sha256:${hashes.input.digest("hex")}`;
      if (knownDiffID && diffID !== knownDiffID)
        throw new LabError("engine", `the engine exported layer ${knownDiffID} with different content (${diffID})`);
      const entry = { repo: this.repo, digest, size: bytes, mediaType: this.layerType, uncompressedSize: size };
      this.matched.add(diffID);
      // The registry verifies the blob on commit; the next layer streams meanwhile.
      const commit = upload.finish(digest).then(() => {
        cache.setLayer(this.registry, compression, diffID, entry);
        reporter.progressDone?.(label, `uploaded ${(bytes / 1e6).toFixed(1)} MB`);
      });
      commit.catch(() => {});
      this.commits.push(commit);
      return { ...entry, diffID, status: "uploaded" };
    } catch (error) {
      await upload.cancel();
      throw error;
    }
  }

  /** An already compressed blob (containerd store): pushed byte for byte under its own digest. */
  private async pushRaw(chunks: AsyncIterable<Uint8Array>, size: number, digest: string): Promise<LayerResult> {
    const { client, reporter } = this.deps;
    if ((await blobExists(client, this.repo, digest, this.options.signal)) !== undefined) {
      await drain(chunks);
      reporter.progressDone?.(short(digest), "skipped: already exists");
      return { mediaType: "", size, digest, status: "skipped" };
    }
    const upload = await BlobUpload.start(client, this.repo, { signal: this.options.signal });
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
  }
}

/** Reads a layer the registry already has to its end (the export streams on past it). */
async function drain(chunks: AsyncIterable<Uint8Array>): Promise<void> {
  for await (const _ of chunks) {
    // the registry has it
  }
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
