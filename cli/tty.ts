import { fstatSync } from "node:fs";
import { createRequire } from "node:module";

// Whether a descriptor is a terminal, asked on every start (colour for help and logs). Loading
// node:tty costs Bun 3 ms, a third of `lab --help` (scripts/bench/startup.ts), so on Linux the
// answer comes from fstat: a terminal is a character device of the tty majors (4: ttyN and the
// console, 5: /dev/tty and ptmx, 136–143: pseudo-terminals). Elsewhere node:tty answers.

const TTY_MAJORS = (major: number) => major === 4 || major === 5 || (major >= 136 && major <= 143);

export function isTerminal(fd: number): boolean {
  if (process.platform !== "linux") return createRequire(import.meta.url)("node:tty").isatty(fd);
  try {
    const s = fstatSync(fd);
    // Linux's dev_t: the major number's low 12 bits sit at bits 8–19.
    return s.isCharacterDevice() && TTY_MAJORS(Number((BigInt(s.rdev) >> 8n) & 0xfffn));
  } catch {
    return false;
  }
}
