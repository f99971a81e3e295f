import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import type { Compression } from "./compress.ts";

/** What a registry already holds for one layer, so an unchanged image is pushed without exporting it. */
export interface CachedLayer {
  repo: string;
  digest: string;
  size: number;
  mediaType: string;
  /** Size of the uncompressed layer tar. */
  uncompressedSize: number;
}

interface CacheFile {
  version: 1;
  layers: Record<string, CachedLayer>;
  configs: Record<string, { repo: string; size: number }>;
}

export function cachePath(env: (name: string) => string | undefined): string {
  return join(env("XDG_CACHE_HOME") ?? join(env("HOME") ?? homedir(), ".cache"), "lab", "blob-cache.json");
}

/** diffID → compressed blob per registry and compression, kept in the user's cache dir. */
export class BlobCache {
  private data: CacheFile = { version: 1, layers: {}, configs: {} };
  private dirty = false;

  private constructor(private readonly path: string | undefined) {}

  static async open(path: string | undefined): Promise<BlobCache> {
    const cache = new BlobCache(path);
    if (!path) return cache;
    try {
      const parsed = JSON.parse(await readFile(path, "utf8")) as CacheFile;
      if (parsed.version === 1) cache.data = parsed;
    } catch {
      // missing or unreadable: start empty
    }
    return cache;
  }

  layer(registry: string, compression: Compression, diffID: string): CachedLayer | undefined {
    return this.data.layers[`${registry}|${compression}|${diffID}`];
  }

  setLayer(registry: string, compression: Compression, diffID: string, entry: CachedLayer): void {
    this.data.layers[`${registry}|${compression}|${diffID}`] = entry;
    this.dirty = true;
  }

  config(registry: string, digest: string): { repo: string; size: number } | undefined {
    return this.data.configs[`${registry}|${digest}`];
  }

  setConfig(registry: string, digest: string, entry: { repo: string; size: number }): void {
    this.data.configs[`${registry}|${digest}`] = entry;
    this.dirty = true;
  }

  /** Layers cached for this registry and compression with a given uncompressed size (a hint, verified by hash). */
  bySize(registry: string, compression: Compression, size: number): [string, CachedLayer][] {
    const prefix = `${registry}|${compression}|`;
    return Object.entries(this.data.layers)
      .filter(([k, v]) => k.startsWith(prefix) && v.uncompressedSize === size)
      .map(([k, v]) => [k.slice(prefix.length), v]);
  }

  async save(): Promise<void> {
    if (!this.path || !this.dirty) return;
    await mkdir(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(this.data));
    await rename(tmp, this.path);
    this.dirty = false;
  }
}
