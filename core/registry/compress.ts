import { createHash, type Hash } from "node:crypto";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { LabError } from "../errors.ts";

export type Compression = "gzip" | "zstd" | "none";

const gzip = promisify(zlib.gzip);
type ZstdFn = (data: Uint8Array, cb: (e: Error | null, r: Uint8Array) => void) => void;
const zstdCompress = (zlib as unknown as { zstdCompress?: ZstdFn }).zstdCompress;

export const BLOCK_SIZE = 2 << 20;

export interface CompressOptions {
  compression: Compression;
  /** Blocks compressed at the same time (the runtime's thread pool does the work). */
  concurrency: number;
  level?: number;
}

function compressBlock(block: Uint8Array, options: CompressOptions): Promise<Uint8Array> {
  if (options.compression === "gzip") return gzip(block, { level: options.level ?? 1 });
  if (!zstdCompress)
    throw new LabError("usage", "zstd compression is not available on this JS runtime", {
      hint: "Use --compression gzip",
    });
  return new Promise((resolve, reject) => zstdCompress(block, (e, r) => (e ? reject(e) : resolve(r))));
}

/**
 * Compresses a stream as independent blocks on all cores and yields them in order. Concatenated gzip
 * members (and zstd frames) form one valid stream that every gzip/zstd reader decodes whole, so the
 * blob is identical to single-threaded output apart from the block framing. Also hashes the input
 * (the layer's diffID) and the output (the blob digest) as they pass.
 */
export async function* compressLayer(
  input: AsyncIterable<Uint8Array>,
  options: CompressOptions,
  hashes: { input: Hash; output: Hash },
): AsyncGenerator<Uint8Array> {
  if (options.compression === "none") {
    for await (const chunk of input) {
      hashes.input.update(chunk);
      hashes.output.update(chunk);
      yield chunk;
    }
    return;
  }
  const queue: Promise<Uint8Array>[] = [];
  let parts: Uint8Array[] = [];
  let size = 0;
  const submit = () => {
    const block = parts.length === 1 ? (parts[0] as Uint8Array) : Buffer.concat(parts);
    parts = [];
    size = 0;
    hashes.input.update(block);
    const p = compressBlock(block, options);
    p.catch(() => {});
    queue.push(p);
  };
  for await (const chunk of input) {
    parts.push(chunk);
    size += chunk.length;
    if (size >= BLOCK_SIZE) submit();
    while (queue.length >= options.concurrency) {
      const out = await (queue.shift() as Promise<Uint8Array>);
      hashes.output.update(out);
      yield out;
    }
  }
  if (size) submit();
  while (queue.length) {
    const out = await (queue.shift() as Promise<Uint8Array>);
    hashes.output.update(out);
    yield out;
  }
}

export const sha256 = () => createHash("sha256");
export const digestOf = (data: Uint8Array) => `sha256:${createHash("sha256").update(data).digest("hex")}`;
