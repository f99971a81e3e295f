import { LabError } from "../errors.ts";

export interface Demuxed {
  stdout: Uint8Array;
  stderr: Uint8Array;
}

function concat(chunks: Uint8Array[]): Uint8Array {
  let size = 0;
  for (const c of chunks) size += c.length;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

/**
 * Splits the engine's multiplexed attach stream: each frame is an 8-byte header
 * [stream(1) 0 0 0 size(4, big endian)] followed by `size` bytes; stream 1 is stdout, 2 is stderr.
 * Frames may be split across chunks in any way.
 */
export async function demuxStream(
  body: ReadableStream<Uint8Array>,
  onFrame?: (stream: "stdout" | "stderr", data: Uint8Array) => void,
): Promise<Demuxed> {
  const out: Uint8Array[] = [];
  const err: Uint8Array[] = [];
  let pending: Uint8Array = new Uint8Array(0);
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    pending = pending.length ? concat([pending, value]) : value;
    let offset = 0;
    while (pending.length - offset >= 8) {
      const view = new DataView(pending.buffer, pending.byteOffset + offset, 8);
      const type = view.getUint8(0);
      const size = view.getUint32(4);
      if (pending.length - offset - 8 < size) break;
      const frame = pending.slice(offset + 8, offset + 8 + size);
      const stream = type === 2 ? "stderr" : "stdout";
      (stream === "stderr" ? err : out).push(frame);
      onFrame?.(stream, frame);
      offset += 8 + size;
    }
    pending = pending.slice(offset);
  }
  return { stdout: concat(out), stderr: concat(err) };
}

/**
 * Reads a newline-delimited JSON stream, calling `onEvent` for each object. The engine reports
 * failures in-band (`{"error": "...", "errorDetail": {...}}`) on a 200 response, so those throw.
 */
export async function readNdjson<T>(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: T) => void,
  what: string,
): Promise<void> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let buffer = "";
  const handle = (line: string) => {
    const trimmed = line.trim();
    if (!trimmed) return;
    const event = JSON.parse(trimmed) as T & { error?: string; errorDetail?: { message?: string } };
    if (event.error || event.errorDetail?.message) {
      throw new LabError("engine", `${what}: ${event.errorDetail?.message ?? event.error}`);
    }
    onEvent(event);
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let newline = buffer.indexOf("\n");
      while (newline >= 0) {
        handle(buffer.slice(0, newline));
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf("\n");
      }
    }
    handle(buffer + decoder.decode());
  } catch (error) {
    await reader.cancel().catch(() => {});
    throw error;
  }
}
