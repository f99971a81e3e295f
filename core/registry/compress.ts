import { createHash, type Hash } from "node:crypto";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { LabError } from "../errors.ts";

export type Compression = "gzip" | "zstd" | "none";

const gzip = promisify(zlib.gzip);
type ZstdFn = (data: Uint8Array, cb: (e: Error | null, r: Uint8Array) => void) => void;
const zstdCompress = (zlib as unknown as { zstdCompress?: ZstdFn }).zstdCompress;

export const BLOCK_SIZE = 1 << 20;

export interface CompressOptions {
  compression: Compression;
  /** Blocks compressed at the same time (the runtime's thread pool does the work). */
  concurrency: number;
  level?: number;
}

const SAMPLE = 32 << 10;

/**
 * Whether deflate is worth running on a block: a 32 KiB sample from its middle is compressed at
 * level 1 and must shrink by at least 8%. Disk images inside NOS images are mostly incompressible;
 * for those, storing costs a CRC instead of a full deflate pass.
 */
export function worthCompressing(block: Uint8Array): boolean {
  if (block.length < SAMPLE * 2) return true;
  const start = Math.floor(block.length / 2) - SAMPLE / 2;
  const sample = block.subarray(start, start + SAMPLE);
  return zlib.deflateRawSync(sample, { level: 1 }).length < SAMPLE * 0.92;
}

type Crc32 = (data: Uint8Array, value?: number) => number;
const crc32 = (zlib as unknown as { crc32?: Crc32 }).crc32;
const STORED_MAX = 0xffff;

/**
 * A gzip member holding `data` in stored deflate blocks. Written by hand because zlib's level 0
 * still pushes every byte through its window (about 0.8 GB/s here), where this is one copy plus a
 * CRC (over 15 GB/s): most of a NOS image is disk images that do not compress.
 */
export function storedGzip(data: Uint8Array, crc: Crc32): Uint8Array {
  const blocks = Math.max(1, Math.ceil(data.length / STORED_MAX));
  const out = new Uint8Array(10 + 5 * blocks + data.length + 8);
  // magic, deflate, no flags, no mtime, no extra flags, OS unix: the same header zlib writes.
  out.set([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
  let at = 10;
  for (let i = 0; i < blocks; i++) {
    const start = i * STORED_MAX;
    const len = Math.min(STORED_MAX, data.length - start);
    out[at] = i === blocks - 1 ? 1 : 0;
    out[at + 1] = len & 0xff;
    out[at + 2] = len >>> 8;
    out[at + 3] = ~len & 0xff;
    out[at + 4] = (~len >>> 8) & 0xff;
    out.set(data.subarray(start, start + len), at + 5);
    at += 5 + len;
  }
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setUint32(at, crc(data) >>> 0, true);
  view.setUint32(at + 4, data.length >>> 0, true);
  return out;
}

function compressBlock(block: Uint8Array, options: CompressOptions): Promise<Uint8Array> {
  if (options.compression === "gzip") {
    if (worthCompressing(block)) return gzip(block, { level: options.level ?? 1 });
    return crc32 ? Promise.resolve(storedGzip(block, crc32)) : gzip(block, { level: 0 });
  }
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
      if (hashes.output !== hashes.input) hashes.output.update(chunk);
      yield chunk;
    }
    return;
  }
  const queue: Promise<Uint8Array>[] = [];
  // Input blocks are recycled once compressed: a fresh 1 MiB buffer per block costs page faults
  // (kernel time) that show up as much as the copy itself. Outputs are not recycled: the upload
  // keeps the last few for a resume.
  const spare: Uint8Array[] = [];
  let block: Uint8Array = new Uint8Array(BLOCK_SIZE);
  let size = 0;
  const submit = () => {
    const full = block;
    const data = size === BLOCK_SIZE ? full : full.subarray(0, size);
    block = spare.pop() ?? new Uint8Array(BLOCK_SIZE);
    size = 0;
    hashes.input.update(data);
    const p = compressBlock(data, options);
    p.then(
      () => spare.push(full),
      () => {},
    );
    queue.push(p);
  };
  // Blocks are cut at exact multiples of BLOCK_SIZE, whatever the chunking of the input, so the
  // same layer always compresses to the same bytes (and the same digest).
  for await (const chunk of input) {
    let rest = chunk;
    while (rest.length) {
      const take = Math.min(rest.length, BLOCK_SIZE - size);
      block.set(take === rest.length ? rest : rest.subarray(0, take), size);
      size += take;
      rest = rest.subarray(take);
      if (size === BLOCK_SIZE) submit();
    }
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
