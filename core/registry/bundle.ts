import { open } from "node:fs/promises";
import { LabError } from "../errors.ts";
import { sha256 } from "./compress.ts";
import type { Descriptor } from "./manifest.ts";
import { longNameOf, padding, parseHeader, parsePax } from "./tar.ts";

// A lab bundle: one tar holding an OCI image layout (oci-layout, index.json, blobs/sha256/…), a
// manifest.json as `docker save` writes it (so `docker load -i` reads the bundle too), the lab's
// topology and the files it references under lab/, and lab-bundle.json saying what is where.
// Blobs are named by their digest, so a layer two images share is stored once.

export const BUNDLE_META = "lab-bundle.json";
export const LAB_PREFIX = "lab/";

export interface BundleMeta {
  version: 1;
  /** The lab the bundle was made for, and its topology under lab/. */
  lab?: string;
  topology?: string;
  /** The images, by the reference the topology uses. */
  images: string[];
}

/** One entry of docker's manifest.json. */
export interface DockerManifestEntry {
  Config: string;
  RepoTags: string[];
  Layers: string[];
}

/** Where an entry's bytes sit in the bundle file. */
export interface BundleEntry {
  offset: number;
  size: number;
  type: string;
}

export interface BundleIndex {
  file: string;
  entries: Map<string, BundleEntry>;
}

export const blobPath = (digest: string) => `blobs/sha256/${digest.replace(/^sha256:/, "")}`;

/**
 * Reads a bundle's table of contents: every entry's name, offset and size, from the headers alone
 * (seeking past the bodies), so nothing large is read twice. A file shorter than its headers say is
 * "truncated".
 */
export async function indexBundle(file: string): Promise<BundleIndex> {
  const fh = await open(file, "r").catch((error: NodeJS.ErrnoException) => {
    throw new LabError(error.code === "ENOENT" ? "not-found" : "input", `cannot open ${file}: ${error.message}`);
  });
  try {
    const { size: total } = await fh.stat();
    const entries = new Map<string, BundleEntry>();
    const block = new Uint8Array(512);
    let at = 0;
    let longName: string | undefined;
    let pax: Record<string, string> = {};
    for (;;) {
      const { bytesRead } = await fh.read(block, 0, 512, at);
      if (bytesRead === 0) break;
      if (bytesRead < 512) throw truncated(file, "a header");
      const raw = parseHeader(block);
      if (!raw) break;
      const size = pax.size ? Number(pax.size) : raw.size;
      const data = at + 512;
      if (data + size > total) throw truncated(file, raw.name);
      if (raw.type === "L" || raw.type === "x") {
        const body = new Uint8Array(size);
        await fh.read(body, 0, size, data);
        if (raw.type === "L") longName = longNameOf(body);
        else pax = parsePax(body);
      } else {
        const name = (pax.path ?? longName ?? raw.name).replace(/^\.\//, "");
        entries.set(name, { offset: data, size, type: raw.type });
        longName = undefined;
        pax = {};
      }
      at = data + size + padding(size);
    }
    if (!entries.has("index.json") && !entries.has("manifest.json"))
      throw new LabError("input", `${file} is not an image bundle (no index.json or manifest.json)`, {
        hint: "Make one with lab images save",
      });
    return { file, entries };
  } finally {
    await fh.close();
  }
}

const truncated = (file: string, what: string) =>
  new LabError("input", `${file} is truncated: ${what} runs past the end of the file`, {
    hint: "Copy the bundle again; its size should match the one lab images save printed",
  });

/** The bytes of an entry, streamed in 1 MiB reads. */
export async function* entryChunks(index: BundleIndex, name: string, chunk = 1 << 20): AsyncGenerator<Uint8Array> {
  const entry = index.entries.get(name);
  if (!entry) throw new LabError("input", `${index.file} has no ${name}`);
  const fh = await open(index.file, "r");
  try {
    let left = entry.size;
    let at = entry.offset;
    while (left > 0) {
      const buf = new Uint8Array(Math.min(chunk, left));
      const { bytesRead } = await fh.read(buf, 0, buf.length, at);
      if (bytesRead === 0) throw truncated(index.file, name);
      yield buf.subarray(0, bytesRead);
      left -= bytesRead;
      at += bytesRead;
    }
  } finally {
    await fh.close();
  }
}

export async function entryBytes(index: BundleIndex, name: string): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of entryChunks(index, name)) parts.push(c);
  return Buffer.concat(parts);
}

export async function entryJson<T>(index: BundleIndex, name: string): Promise<T> {
  try {
    return JSON.parse(new TextDecoder().decode(await entryBytes(index, name))) as T;
  } catch (error) {
    if (error instanceof LabError) throw error;
    throw new LabError("input", `${index.file}: ${name} is not valid JSON`, { hint: "The bundle is damaged" });
  }
}

/** One image of a bundle: its reference, docker-load entry, and the blobs it needs. */
export interface BundledImage {
  ref: string;
  config: string;
  layers: string[];
  /** The OCI manifest (its descriptor in index.json), when the bundle has one for it. */
  manifest?: Descriptor;
}

/** The bundle's images (from manifest.json, matched to index.json's manifests by config). */
export async function bundledImages(index: BundleIndex): Promise<BundledImage[]> {
  const docker = index.entries.has("manifest.json")
    ? await entryJson<DockerManifestEntry[]>(index, "manifest.json")
    : [];
  const oci = index.entries.has("index.json")
    ? await entryJson<{ manifests?: (Descriptor & { annotations?: Record<string, string> })[] }>(index, "index.json")
    : { manifests: [] };
  const byRef = new Map<string, Descriptor>();
  for (const m of oci.manifests ?? []) {
    const ref = m.annotations?.["io.containerd.image.name"];
    if (ref) byRef.set(ref, m);
  }
  return docker.flatMap((d) =>
    (d.RepoTags.length ? d.RepoTags : [""]).map((ref) => ({
      ref,
      config: d.Config,
      layers: d.Layers,
      ...(byRef.get(ref) ? { manifest: byRef.get(ref) } : {}),
    })),
  );
}

/**
 * Checks that every blob the images need is there and that every blob matches the digest it is
 * named by: a damaged copy is refused before anything is loaded or pushed.
 */
export async function verifyBundle(
  index: BundleIndex,
  images: BundledImage[],
  onProgress?: (done: number, total: number) => void,
): Promise<void> {
  for (const img of images)
    for (const path of [img.config, ...img.layers, ...(img.manifest ? [blobPath(img.manifest.digest)] : [])])
      if (!index.entries.has(path))
        throw new LabError("input", `${index.file} lacks ${path}, which ${img.ref || "an image"} needs`, {
          hint: "The bundle is incomplete: make it again with lab images save",
        });
  const blobs = [...index.entries].filter(([name, e]) => name.startsWith("blobs/sha256/") && e.type === "0");
  const total = blobs.reduce((n, [, e]) => n + e.size, 0);
  let done = 0;
  for (const [name] of blobs) {
    const h = sha256();
    for await (const c of entryChunks(index, name)) {
      h.update(c);
      done += c.length;
      onProgress?.(done, total);
    }
    if (h.digest("hex") !== name.slice("blobs/sha256/".length))
      throw new LabError("input", `${index.file} is damaged: ${name} does not match its digest`, {
        hint: "Copy the bundle again from where it was made",
      });
  }
}
