// A test this machine cannot run is skipped by name with its reason, never turned into a pass. Bun
// counts skips but prints no reason: the reason goes to $LAB_SKIP_LOG, which scripts/test.sh prints
// above its closing count (or to stdout when the suite runs without it).
import { test } from "bun:test";
import { appendFileSync } from "node:fs";

function record(name: string, reason: string): void {
  const line = `skipped: ${name} — ${reason}`;
  const log = process.env.LAB_SKIP_LOG;
  if (log) appendFileSync(log, `${line}\n`);
  else console.log(line);
}

/** `test` when `condition` holds; otherwise a named skip that says `reason`. */
export function testIf(condition: boolean, reason: string): typeof test {
  if (condition) return test;
  const skip = (name: string, fn: Parameters<typeof test>[1], timeout?: number) => {
    record(name, reason);
    return test.skip(name, fn, timeout);
  };
  return skip as unknown as typeof test;
}
