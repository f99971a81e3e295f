import { writeSync } from "node:fs";

// Writing through process.stdout costs Bun ~9 ms the first time (the stream is set up lazily);
// a plain write(2) costs nothing. Should the descriptor be non-blocking and full, the rest goes
// through the stream, which waits for room.

function write(fd: 1 | 2, text: string): void {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  try {
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
    (fd === 1 ? process.stdout : process.stderr).write(bytes.subarray(offset));
  }
}

/** Data: tables, JSON, scripts. */
export const out = (text: string) => write(1, text);
/** Logs and errors. */
export const err = (text: string) => write(2, text);
