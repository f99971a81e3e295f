// Writes a tar stream (ustar, with a pax header for names ustar cannot hold) to a sink, one entry
// at a time, bodies streamed through: a multi-gigabyte bundle never sits in memory.

export interface TarSink {
  write(chunk: Uint8Array): Promise<void>;
}

import { padding } from "./tar.ts";

export { padding };

const encoder = new TextEncoder();
const BLOCK = 512;

function put(header: Uint8Array, text: string, offset: number, length: number) {
  header.set(encoder.encode(text).subarray(0, length), offset);
}

/** An octal field, NUL-terminated; sizes past 8 GiB use GNU's base-256. */
function octal(header: Uint8Array, value: number, offset: number, length: number) {
  if (value >= 8 ** (length - 1)) {
    header[offset] = 0x80;
    let v = value;
    for (let i = offset + length - 1; i > offset; i--) {
      header[i] = v % 256;
      v = Math.floor(v / 256);
    }
    return;
  }
  put(header, `${value.toString(8).padStart(length - 1, "0")}\0`, offset, length);
}

/** One ustar header block (names up to 100 bytes; longer ones need a pax header first). */
export function header(name: string, size: number, type: string, mode: number, mtime: number): Uint8Array {
  const h = new Uint8Array(BLOCK);
  put(h, name, 0, 100);
  octal(h, mode, 100, 8);
  octal(h, 0, 108, 8);
  octal(h, 0, 116, 8);
  octal(h, size, 124, 12);
  octal(h, mtime, 136, 12);
  h.fill(0x20, 148, 156);
  put(h, type, 156, 1);
  put(h, "ustar\0", 257, 6);
  put(h, "00", 263, 2);
  let sum = 0;
  for (const b of h) sum += b;
  put(h, `${sum.toString(8).padStart(6, "0")}\0 `, 148, 8);
  return h;
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = body.length + 1;
  while (`${len}${body}`.length !== len) len = `${len}${body}`.length;
  return `${len}${body}`;
}

export class TarWriter {
  /** Bytes written so far (headers and padding included). */
  written = 0;

  constructor(private readonly sink: TarSink) {}

  private async out(chunk: Uint8Array) {
    this.written += chunk.length;
    await this.sink.write(chunk);
  }

  private async head(name: string, size: number, type: string, mode: number) {
    const mtime = 0;
    if (encoder.encode(name).length > 100) {
      // A pax header carries the long path; the ustar name is a placeholder.
      const pax = encoder.encode(paxRecord("path", name));
      await this.out(header("././@PaxHeader", pax.length, "x", 0o644, mtime));
      await this.out(pax);
      await this.out(new Uint8Array(padding(pax.length)));
    }
    await this.out(header(name, size, type, mode, mtime));
  }

  /** A regular file from bytes in hand. */
  async file(name: string, data: Uint8Array, mode = 0o644): Promise<void> {
    await this.head(name, data.length, "0", mode);
    await this.out(data);
    await this.out(new Uint8Array(padding(data.length)));
  }

  /** A regular file of `size` bytes streamed from `chunks`; a short or long source is an error. */
  async stream(name: string, size: number, chunks: AsyncIterable<Uint8Array>, mode = 0o644): Promise<void> {
    await this.head(name, size, "0", mode);
    let sent = 0;
    for await (const c of chunks) {
      sent += c.length;
      if (sent > size) throw new Error(`${name}: more than its ${size} bytes`);
      await this.out(c);
    }
    if (sent !== size) throw new Error(`${name}: ${sent} of its ${size} bytes`);
    await this.out(new Uint8Array(padding(size)));
  }

  async directory(name: string): Promise<void> {
    await this.head(name.endsWith("/") ? name : `${name}/`, 0, "5", 0o755);
  }

  /** The two zero blocks that end an archive. */
  async end(): Promise<void> {
    await this.out(new Uint8Array(BLOCK * 2));
  }
}
