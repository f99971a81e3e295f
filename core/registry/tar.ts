// A streaming tar reader over web streams: entries come one at a time and their bodies are streamed
// through, never buffered whole. Handles ustar, GNU long names ('L') and pax headers ('x').

import { LabError } from "../errors.ts";

export interface TarEntry {
  name: string;
  size: number;
  /** '0' file, '2' symlink, '5' directory, … */
  type: string;
  linkname: string;
}

/** Pulls exact byte counts out of a chunked stream without copying more than needed. */
export class ByteReader {
  private reader: ReadableStreamDefaultReader<Uint8Array>;
  private buffer: Uint8Array = new Uint8Array(0);
  /** Bytes handed out so far (for progress). */
  consumed = 0;

  constructor(stream: ReadableStream<Uint8Array>) {
    this.reader = stream.getReader();
  }

  private async fill(): Promise<boolean> {
    const { done, value } = await this.reader.read();
    if (done) return false;
    this.buffer = this.buffer.length ? concat(this.buffer, value) : value;
    return true;
  }

  /** Exactly `n` bytes, or fewer at the end of the stream. */
  async read(n: number): Promise<Uint8Array> {
    while (this.buffer.length < n) if (!(await this.fill())) break;
    const out = this.buffer.subarray(0, Math.min(n, this.buffer.length));
    this.buffer = this.buffer.subarray(out.length);
    this.consumed += out.length;
    return out;
  }

  /** Yields the next `n` bytes as they arrive, in whatever chunk sizes the stream has. */
  async *chunks(n: number): AsyncGenerator<Uint8Array> {
    let left = n;
    while (left > 0) {
      if (!this.buffer.length && !(await this.fill()))
        throw new LabError("input", `tar stream ended ${left} bytes early`);
      const take = this.buffer.subarray(0, Math.min(left, this.buffer.length));
      this.buffer = this.buffer.subarray(take.length);
      this.consumed += take.length;
      left -= take.length;
      yield take;
    }
  }

  async skip(n: number): Promise<void> {
    for await (const _ of this.chunks(n)) {
      // drained
    }
  }

  async cancel(): Promise<void> {
    await this.reader.cancel().catch(() => {});
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

const decoder = new TextDecoder();

function field(block: Uint8Array, offset: number, length: number): string {
  const raw = block.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return decoder.decode(end >= 0 ? raw.subarray(0, end) : raw);
}

function octal(block: Uint8Array, offset: number, length: number): number {
  // GNU base-256 for sizes over 8 GiB.
  if ((block[offset] as number) & 0x80) {
    let n = 0;
    for (let i = offset + 1; i < offset + length; i++) n = n * 256 + (block[i] as number);
    return n;
  }
  const text = field(block, offset, length).trim();
  return text ? Number.parseInt(text, 8) : 0;
}

function parsePax(data: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  const text = decoder.decode(data);
  let i = 0;
  while (i < text.length) {
    const space = text.indexOf(" ", i);
    if (space < 0) break;
    const len = Number(text.slice(i, space));
    if (!len) break;
    const record = text.slice(space + 1, i + len - 1);
    const eq = record.indexOf("=");
    out[record.slice(0, eq)] = record.slice(eq + 1);
    i += len;
  }
  return out;
}

export const padding = (size: number) => (512 - (size % 512)) % 512;

/** One raw header block: the fields an entry needs (long names come from a preceding L or x entry). */
export function parseHeader(header: Uint8Array): { name: string; size: number; type: string; linkname: string } | null {
  if (header.length < 512 || header.every((b) => b === 0)) return null;
  const prefix = field(header, 345, 155);
  const base = field(header, 0, 100);
  return {
    name: prefix ? `${prefix}/${base}` : base,
    size: octal(header, 124, 12),
    type: String.fromCharCode(header[156] || 48),
    linkname: field(header, 157, 100),
  };
}

/** The name a GNU long-name ('L') entry carries, and the records of a pax ('x') header. */
export const longNameOf = (data: Uint8Array) => field(data, 0, data.length);
export { parsePax };

/**
 * Iterates a tar stream. For each entry the caller must consume `body(reader)` or the reader
 * skips it on the next iteration.
 */
export async function* tarEntries(reader: ByteReader): AsyncGenerator<TarEntry> {
  let longName: string | undefined;
  let pax: Record<string, string> = {};
  for (;;) {
    const raw = parseHeader(await reader.read(512));
    if (!raw) return;
    const { size, type } = raw;
    if (type === "L" || type === "x" || type === "g") {
      const data = await reader.read(size);
      await reader.read(padding(size));
      if (type === "L") longName = longNameOf(data);
      else if (type === "x") pax = parsePax(data);
      continue;
    }
    const entry: TarEntry = {
      name: (pax.path ?? longName ?? raw.name).replace(/^\.\//, ""),
      size: pax.size ? Number(pax.size) : size,
      type,
      linkname: pax.linkpath ?? raw.linkname,
    };
    longName = undefined;
    pax = {};
    const before = reader.consumed;
    yield entry;
    // Whatever the caller did not read of the body is skipped, then the block padding.
    const read = reader.consumed - before;
    if (read < entry.size) await reader.skip(entry.size - read);
    await reader.read(padding(entry.size));
  }
}

/** The first regular file of a tar stream (a `docker cp` of one file), or undefined when it has none. */
export async function firstRegularFile(stream: ReadableStream<Uint8Array>): Promise<Uint8Array | undefined> {
  const reader = new ByteReader(stream);
  try {
    for await (const entry of tarEntries(reader)) if (entry.type === "0") return await reader.read(entry.size);
    return undefined;
  } finally {
    await reader.cancel();
  }
}
