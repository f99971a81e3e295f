import { existsSync, statSync } from "node:fs";
import { type FileHandle, open, readdir, readFile, rename, rm } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import type { DockerClient, ImageInspect } from "../../runtime/docker/index.ts";
import type { Reporter } from "../deploy/reporter.ts";
import { LabError } from "../errors.ts";
import type { LabModel } from "../topology/index.ts";
import { BUNDLE_META, type BundleMeta, blobPath, type DockerManifestEntry, LAB_PREFIX } from "./bundle.ts";
import type { RegistryClient } from "./client.ts";
import { digestOf, sha256 } from "./compress.ts";
import { chainIDs, legacyLayerIndex } from "./legacy-ids.ts";
import { type Descriptor, INDEX_TYPES, MEDIA } from "./manifest.ts";
import {
  blobBytes,
  blobChunks,
  getManifest,
  type ImageManifest,
  type Platform,
  parseManifest,
  pickPlatform,
} from "./pull.ts";
import { formatReference, type ImageReference, parseReference } from "./reference.ts";
import { ByteReader, tarEntries } from "./tar.ts";
import { type TarSink, TarWriter } from "./tar-write.ts";

export interface SaveOptions {
  /** Image references (the lab's, or given on the command line). */
  images: string[];
  out: string;
  /** The lab whose topology (and, with `files`, the files it references) goes under lab/. */
  lab?: LabModel;
  files: boolean;
  /** Take the images from their registries instead of the local engine. */
  fromRegistry?: boolean;
  platform: Platform;
  signal?: AbortSignal;
}

export interface SaveDeps {
  docker: DockerClient;
  reporter: Reporter;
  /** A client for an image's registry (credentials from the docker config or --creds). */
  registry(ref: ImageReference): Promise<RegistryClient>;
}

export interface SaveResult {
  file: string;
  bytes: number;
  images: { ref: string; digest: string; layers: number; stored: number }[];
  files: string[];
  /** Referenced files left out: outside the topology's directory. */
  skipped: string[];
}

/** Small writes (headers, padding) gathered into 1 MiB writes; large ones go straight through. */
class FileSink implements TarSink {
  private buffer = new Uint8Array(1 << 20);
  private used = 0;
  constructor(private readonly fh: FileHandle) {}
  async write(chunk: Uint8Array): Promise<void> {
    if (chunk.length >= this.buffer.length / 2) {
      await this.flush();
      await this.fh.write(chunk);
      return;
    }
    if (this.used + chunk.length > this.buffer.length) await this.flush();
    this.buffer.set(chunk, this.used);
    this.used += chunk.length;
  }
  async flush(): Promise<void> {
    if (!this.used) return;
    await this.fh.write(this.buffer.subarray(0, this.used));
    this.used = 0;
  }
}

const SMALL = 1 << 20;
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

/** Everything one save writes, so that a blob two images share goes in once. */
class BundleWriter {
  readonly written = new Set<string>();
  readonly index: (Descriptor & { annotations: Record<string, string> })[] = [];
  readonly docker: DockerManifestEntry[] = [];
  constructor(
    readonly tar: TarWriter,
    private readonly reporter: Reporter,
  ) {}

  /** A blob from bytes in hand (once). */
  async blob(digest: string, data: Uint8Array): Promise<void> {
    if (this.written.has(digest)) return;
    if (digestOf(data) !== digest)
      throw new LabError("engine", `blob ${digest.slice(0, 19)} does not match its digest`);
    this.written.add(digest);
    await this.tar.file(blobPath(digest), data);
  }

  /** A blob streamed through (once; a second copy is drained), its digest checked at the end. */
  async streamBlob(digest: string, size: number, chunks: AsyncIterable<Uint8Array>, label: string): Promise<boolean> {
    if (this.written.has(digest)) {
      for await (const _ of chunks) {
        // drained: stored already
      }
      this.reporter.progressDone?.(label, "stored once already");
      return false;
    }
    const h = sha256();
    let done = 0;
    const reporter = this.reporter;
    await this.tar.stream(
      blobPath(digest),
      size,
      (async function* () {
        for await (const c of chunks) {
          h.update(c);
          done += c.length;
          reporter.progress?.(label, done, size, "saving");
          yield c;
        }
      })(),
    );
    if (`sha256:${h.digest("hex")}` !== digest)
      throw new LabError("engine", `layer ${label} did not match its digest ${digest.slice(0, 19)} while being saved`);
    this.written.add(digest);
    reporter.progressDone?.(label, `saved ${(size / 1e6).toFixed(1)} MB`);
    return true;
  }

  /** Records an image: in index.json (by its manifest) and in manifest.json (for docker load). */
  image(ref: string, manifest: Descriptor, config: string, layers: string[]): void {
    const r = parseReference(ref);
    this.index.push({
      ...manifest,
      annotations: {
        "io.containerd.image.name": ref,
        "org.opencontainers.image.ref.name": r.tag ?? "latest",
      },
    });
    this.docker.push({ Config: blobPath(config), RepoTags: [ref], Layers: layers.map(blobPath) });
  }
}

/** One image from the local engine: its export read once, layers named by digest as they pass. */
async function saveFromEngine(
  ref: string,
  inspect: ImageInspect,
  w: BundleWriter,
  docker: DockerClient,
  signal?: AbortSignal,
): Promise<{ digest: string; layers: number; stored: number }> {
  const diffIDs = inspect.RootFS.Layers ?? [];
  const chain = chainIDs(diffIDs);
  const sizes = new Map<string, number>();
  const small = new Map<string, Uint8Array>();
  const jsons = new Map<string, string>();
  let stored = 0;
  const reader = new ByteReader(await docker.images.export([ref], signal));
  try {
    for await (const entry of tarEntries(reader)) {
      if (entry.type !== "0" && entry.type !== "7") continue;
      const name = entry.name;
      const legacy = /^([0-9a-f]{64})\/(json|layer\.tar)$/.exec(name);
      if (legacy?.[2] === "json") {
        jsons.set(legacy[1] as string, text(await reader.read(entry.size)));
        continue;
      }
      let digest: string | undefined;
      if (legacy) {
        // Docker's classic export: the directory is named by a v1 id, worked back to its layer.
        const at = legacyLayerIndex(legacy[1] as string, jsons.get(legacy[1] as string) ?? "", chain);
        if (at === undefined)
          throw new LabError("engine", `cannot tell which layer of ${ref} the export's ${name} is`, {
            hint: "Report this with the engine's version (lab version)",
          });
        digest = diffIDs[at];
      } else if (/^[0-9a-f]{64}\.tar$/.test(name)) {
        digest = `sha256:${name.slice(0, 64)}`; // Podman: <diffID>.tar
      } else if (/^blobs\/sha256\/[0-9a-f]{64}$/.test(name) && entry.size > SMALL) {
        digest = `sha256:${name.slice(13)}`; // containerd store: blobs by digest
      }
      if (digest) {
        sizes.set(digest, entry.size);
        if (await w.streamBlob(digest, entry.size, reader.chunks(entry.size), digest.slice(7, 19))) stored++;
        continue;
      }
      if (entry.size <= SMALL) small.set(name, await reader.read(entry.size));
    }
  } finally {
    await reader.cancel();
  }
  const exported = JSON.parse(text(small.get("manifest.json") ?? json([]))) as DockerManifestEntry[];
  const ociIndex = small.get("index.json");
  if (ociIndex && [...small.keys()].some((k) => k.startsWith("blobs/"))) {
    // containerd store: its manifests and config are blobs already; keep them as they are.
    for (const [name, data] of small)
      if (name.startsWith("blobs/sha256/")) await w.blob(`sha256:${name.slice(13)}`, data);
    const desc = (JSON.parse(text(ociIndex)) as { manifests: Descriptor[] }).manifests[0] as Descriptor;
    const entry = exported[0] as DockerManifestEntry;
    w.image(
      ref,
      desc,
      `sha256:${entry.Config.slice(13)}`,
      entry.Layers.map((l) => `sha256:${l.slice(13)}`),
    );
    return { digest: desc.digest, layers: entry.Layers.length, stored };
  }
  // Classic and Podman exports: the config is <id>.json; the manifest is made here (uncompressed
  // layers, the same bytes docker load takes).
  const configName = exported[0]?.Config ?? `${inspect.Id.slice(7)}.json`;
  const config = small.get(configName);
  if (!config) throw new LabError("engine", `the export of ${ref} has no config ${configName}`);
  const configDigest = digestOf(config);
  await w.blob(configDigest, config);
  const missing = diffIDs.filter((d) => !sizes.has(d));
  if (missing.length) throw new LabError("engine", `the export of ${ref} lacks layer ${missing[0]?.slice(0, 19)}`);
  const manifest = json({
    schemaVersion: 2,
    mediaType: MEDIA.oci.manifest,
    config: { mediaType: MEDIA.oci.config, digest: configDigest, size: config.length },
    layers: diffIDs.map((d) => ({ mediaType: MEDIA.oci.layer.none, digest: d, size: sizes.get(d) as number })),
  });
  const digest = digestOf(manifest);
  await w.blob(digest, manifest);
  w.image(ref, { mediaType: MEDIA.oci.manifest, digest, size: manifest.length }, configDigest, diffIDs);
  return { digest, layers: diffIDs.length, stored };
}

/** One image straight from its registry: the manifest kept byte for byte, blobs streamed through. */
async function saveFromRegistry(
  ref: string,
  w: BundleWriter,
  deps: SaveDeps,
  platform: Platform,
  signal?: AbortSignal,
): Promise<{ digest: string; layers: number; stored: number }> {
  const r = parseReference(ref);
  const client = await deps.registry(r);
  let m = await getManifest(client, r.repository, r.digest ?? r.tag ?? "latest", signal);
  if (INDEX_TYPES.has(m.mediaType)) {
    const pick = pickPlatform(parseManifest(m), platform, formatReference(r));
    m = await getManifest(client, r.repository, pick.digest, signal);
  }
  const manifest: ImageManifest = parseManifest(m);
  await w.blob(manifest.config.digest, await blobBytes(client, r.repository, manifest.config, signal));
  let stored = 0;
  for (const l of manifest.layers)
    if (await w.streamBlob(l.digest, l.size, blobChunks(client, r.repository, l, signal), l.digest.slice(7, 19)))
      stored++;
  await w.blob(m.digest, m.bytes);
  w.image(
    ref,
    { mediaType: m.mediaType, digest: m.digest, size: m.bytes.length },
    manifest.config.digest,
    manifest.layers.map((l) => l.digest),
  );
  return { digest: m.digest, layers: manifest.layers.length, stored };
}

/**
 * The lab's own files: its topology (and vars, lab-hosts.yml), and with `files` what its nodes
 * reference beside it: bind sources, startup-configs, licences, env files. Files outside the
 * topology's directory are left out (and listed), and so is the lab dir lab makes.
 */
export function labFiles(lab: LabModel, files: boolean): { files: string[]; skipped: string[] } {
  const root = lab.dir;
  const inside = (p: string) => p === root || p.startsWith(`${root}/`);
  const wanted = new Set<string>([lab.file]);
  for (const name of [`${lab.file.replace(/\.clab\.(ya?ml|gotmpl)$/, "")}.clab_vars.yml`, join(root, "lab-hosts.yml")])
    if (existsSync(name)) wanted.add(name);
  if (lab.file.endsWith(".gotmpl"))
    for (const ext of ["yml", "yaml", "json"]) {
      const vars = lab.file.replace(/\.clab\.gotmpl$/, `.clab_vars.${ext}`);
      if (existsSync(vars)) wanted.add(vars);
    }
  const skipped = new Set<string>();
  if (files)
    for (const n of lab.nodes) {
      const candidates = [
        ...n.binds.map((b) => b.split(":")[0] as string),
        ...(n.startupConfig?.source ? [n.startupConfig.source] : []),
        ...n.files.flatMap((f) => (f.source ? [f.source] : [])),
      ];
      for (const c of candidates) {
        if (!c.startsWith("/") || !existsSync(c)) continue;
        if (c === lab.labDir || c.startsWith(`${lab.labDir}/`)) continue;
        if (inside(c)) wanted.add(c);
        else skipped.add(c);
      }
    }
  return { files: [...wanted].sort(), skipped: [...skipped].sort() };
}

async function walk(path: string): Promise<string[]> {
  if (!statSync(path).isDirectory()) return [path];
  const out: string[] = [];
  for (const name of (await readdir(path)).sort()) out.push(...(await walk(join(path, name))));
  return out;
}

/**
 * `lab images save`: the lab's images (layers shared between them stored once) and its topology with
 * the files it references, in one tar that is both an OCI image layout and a `docker save` archive.
 * Streamed: the engine's export (or the registry's blobs) goes straight into the file; it is
 * written beside its final name and renamed when complete, so a failure leaves nothing behind.
 */
export async function saveBundle(options: SaveOptions, deps: SaveDeps): Promise<SaveResult> {
  const images = [...new Set(options.images)];
  if (!images.length) throw new LabError("usage", "no images to save", { hint: "Name images, or give a lab with -t" });
  const inspects = new Map<string, ImageInspect>();
  if (!options.fromRegistry) {
    const missing: string[] = [];
    for (const ref of images) {
      const found = await deps.docker.images.find(ref);
      if (found) inspects.set(ref, found);
      else missing.push(ref);
    }
    if (missing.length)
      throw new LabError("not-found", `not in the engine: ${missing.join(", ")}`, {
        hint: "Pull or build them first, or take them from their registry with --from-registry",
      });
  }
  const own = options.lab ? labFiles(options.lab, options.files) : { files: [], skipped: [] };
  const out = resolve(options.out);
  const partial = `${out}.partial`;
  const fh = await open(partial, "w").catch((error: NodeJS.ErrnoException) => {
    throw new LabError("input", `cannot write ${out}: ${error.message}`);
  });
  const sink = new FileSink(fh);
  const tar = new TarWriter(sink);
  const w = new BundleWriter(tar, deps.reporter);
  const result: SaveResult = { file: out, bytes: 0, images: [], files: [], skipped: own.skipped };
  try {
    await tar.file("oci-layout", json({ imageLayoutVersion: "1.0.0" }));
    for (const ref of images) {
      deps.reporter.info(`saving ${ref}${options.fromRegistry ? " from its registry" : ""}`);
      const saved = options.fromRegistry
        ? await saveFromRegistry(ref, w, deps, options.platform, options.signal)
        : await saveFromEngine(ref, inspects.get(ref) as ImageInspect, w, deps.docker, options.signal);
      result.images.push({ ref, ...saved });
    }
    await tar.file(
      "index.json",
      json({ schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests: w.index }),
    );
    await tar.file("manifest.json", json(w.docker));
    if (options.lab) {
      for (const f of own.files)
        for (const file of await walk(f)) {
          const data = await readFile(file);
          await tar.file(`${LAB_PREFIX}${relative(options.lab.dir, file)}`, data, statSync(file).mode & 0o777);
          result.files.push(relative(options.lab.dir, file));
        }
    }
    const meta: BundleMeta = {
      version: 1,
      ...(options.lab ? { lab: options.lab.name, topology: relative(options.lab.dir, options.lab.file) } : {}),
      images,
    };
    await tar.file(BUNDLE_META, json(meta));
    await tar.end();
    await sink.flush();
    await fh.close();
    await rename(partial, out);
    result.bytes = tar.written;
    return result;
  } catch (error) {
    await fh.close().catch(() => {});
    await rm(partial, { force: true });
    const e = error as NodeJS.ErrnoException;
    if (e.code === "ENOSPC")
      throw new LabError(
        "unsupported",
        `no space left on the device of ${dirname(out)} after ${(tar.written / 1e6).toFixed(0)} MB of the bundle`,
        {
          hint: "Free some space or write the bundle elsewhere (-o); nothing was left behind",
        },
      );
    throw error;
  }
}
