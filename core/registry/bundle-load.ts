import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, normalize, resolve } from "node:path";
import type { DockerClient } from "../../runtime/docker/index.ts";
import type { Reporter } from "../deploy/reporter.ts";
import { LabError } from "../errors.ts";
import {
  BUNDLE_META,
  type BundledImage,
  type BundleIndex,
  type BundleMeta,
  blobPath,
  bundledImages,
  entryBytes,
  entryChunks,
  entryJson,
  indexBundle,
  LAB_PREFIX,
  verifyBundle,
} from "./bundle.ts";
import { pushImage } from "./push.ts";
import type { ImageSource, PushDeps, PushOptions, PushResult } from "./push-common.ts";
import { parseReference } from "./reference.ts";
import { header, padding } from "./tar-write.ts";

export interface OpenBundle {
  index: BundleIndex;
  meta: BundleMeta;
  images: BundledImage[];
}

/** Indexes, reads and checks a bundle: every image it names is there whole, every blob intact. */
export async function openBundle(file: string, reporter: Reporter): Promise<OpenBundle> {
  const index = await indexBundle(file);
  const meta: BundleMeta = index.entries.has(BUNDLE_META)
    ? await entryJson<BundleMeta>(index, BUNDLE_META)
    : { version: 1, images: [] };
  const images = await bundledImages(index);
  const have = new Set(images.map((i) => i.ref));
  const lacking = meta.images.filter((ref) => !have.has(ref));
  if (lacking.length)
    throw new LabError("input", `${file} lacks ${lacking.join(", ")}, which its lab uses`, {
      hint: "Make the bundle again with lab images save",
    });
  await verifyBundle(index, images, (done, total) =>
    reporter.progress?.("checking the bundle", done, total, "checking"),
  );
  reporter.progressDone?.("checking the bundle", "every blob matches its digest");
  return { index, meta, images };
}

/** The whole bundle file as a stream (what docker load reads). */
function fileStream(index: BundleIndex, size: number): ReadableStream<Uint8Array> {
  const whole = { offset: 0, size, type: "0" };
  const name = "\0whole";
  index.entries.set(name, whole);
  const chunks = entryChunks(index, name);
  return new ReadableStream({
    async pull(controller) {
      const { done, value } = await chunks.next();
      if (done) {
        index.entries.delete(name);
        controller.close();
      } else controller.enqueue(value);
    },
    async cancel() {
      index.entries.delete(name);
      await chunks.return(undefined);
    },
  });
}

/** Loads every image of the bundle into the engine (the engine reads it as a docker save archive). */
export async function loadIntoEngine(
  bundle: OpenBundle,
  docker: DockerClient,
  fileSize: number,
  signal?: AbortSignal,
): Promise<string[]> {
  return docker.images.load(fileStream(bundle.index, fileSize), signal);
}

/**
 * Writes the lab's files from the bundle under `dir` (the topology and what it references, at the
 * same relative paths). An existing file is not overwritten: the user's copy wins, and is listed.
 */
export async function extractLab(bundle: OpenBundle, dir: string): Promise<{ written: string[]; kept: string[] }> {
  const root = resolve(dir);
  const out = { written: [] as string[], kept: [] as string[] };
  for (const [name, entry] of bundle.index.entries) {
    if (!name.startsWith(LAB_PREFIX) || entry.type !== "0") continue;
    const rel = normalize(name.slice(LAB_PREFIX.length));
    if (rel.startsWith("..") || rel.startsWith("/"))
      throw new LabError("input", `${bundle.index.file} holds a path outside its lab: ${name}`);
    const target = join(root, rel);
    if (existsSync(target)) {
      out.kept.push(rel);
      continue;
    }
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, await entryBytes(bundle.index, name));
    out.written.push(rel);
  }
  return out;
}

/** One bundled image as a push source: a `docker save`-shaped tar of its blobs, read from the file. */
async function bundleSource(bundle: OpenBundle, image: BundledImage): Promise<ImageSource> {
  const config = JSON.parse(new TextDecoder().decode(await entryBytes(bundle.index, image.config))) as {
    rootfs?: { diff_ids?: string[] };
    os?: string;
    architecture?: string;
  };
  return {
    inspect: {
      Id: `sha256:${image.config.slice(13)}`,
      RootFS: { Type: "layers", Layers: config.rootfs?.diff_ids ?? [] },
      Os: config.os ?? "",
      Architecture: config.architecture ?? "",
    },
    async export() {
      const names = [image.config, ...image.layers];
      // Compressed layers (a bundle saved from a registry): the image's own manifest goes with them.
      const manifest = image.manifest ? blobPath(image.manifest.digest) : undefined;
      if (manifest) names.push(manifest);
      const small = new Map<string, Uint8Array>([
        [
          "manifest.json",
          new TextEncoder().encode(
            JSON.stringify([{ Config: image.config, RepoTags: [image.ref], Layers: image.layers }]),
          ),
        ],
      ]);
      if (manifest && image.manifest)
        small.set(
          "index.json",
          new TextEncoder().encode(JSON.stringify({ schemaVersion: 2, manifests: [image.manifest] })),
        );
      return tarStream(bundle.index, [...new Set(names)], small);
    },
  };
}

/** A tar of some bundle entries (and a few small files), produced as it is read. */
function tarStream(index: BundleIndex, names: string[], small: Map<string, Uint8Array>): ReadableStream<Uint8Array> {
  async function* produce(): AsyncGenerator<Uint8Array> {
    for (const name of names) {
      const entry = index.entries.get(name);
      if (!entry) throw new LabError("input", `${index.file} has no ${name}`);
      yield header(name, entry.size, "0", 0o644, 0);
      yield* entryChunks(index, name);
      yield new Uint8Array(padding(entry.size));
    }
    for (const [name, data] of small) {
      yield header(name, data.length, "0", 0o644, 0);
      yield data;
      yield new Uint8Array(padding(data.length));
    }
    yield new Uint8Array(1024);
  }
  const it = produce();
  return new ReadableStream({
    async pull(controller) {
      try {
        const { done, value } = await it.next();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await it.return(undefined);
    },
  });
}

/** Pushes every bundled image to `targets` (ref → destination), straight from the file. */
export async function pushBundle(
  bundle: OpenBundle,
  targets: Map<string, string>,
  options: Omit<PushOptions, "source" | "dest" | "from">,
  deps: (dest: string) => Promise<PushDeps>,
): Promise<PushResult[]> {
  const results: PushResult[] = [];
  for (const image of bundle.images) {
    const dest = targets.get(image.ref);
    if (!dest) continue;
    const d = await deps(dest);
    d.reporter.info(`pushing ${image.ref} from the bundle to ${dest}`);
    results.push(
      await pushImage(
        { ...options, source: image.ref, dest: parseReference(dest), from: await bundleSource(bundle, image) },
        d,
      ),
    );
  }
  return results;
}

/** Where each bundled image goes under REGISTRY/PROJECT: its last path part and tag. */
export function bundleTargets(images: BundledImage[], to: string): Map<string, string> {
  const base = to.replace(/\/+$/, "");
  const out = new Map<string, string>();
  for (const { ref } of images) {
    const r = parseReference(ref);
    out.set(ref, `${base}/${r.repository.split("/").at(-1)}${r.tag ? `:${r.tag}` : ""}`);
  }
  return out;
}
