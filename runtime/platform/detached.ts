import { spawn } from "node:child_process";
import { openSync } from "node:fs";

/** node:child_process works the same under Bun and Deno for a detached, unref'd child. */
export function spawnDetached(cmd: string[], logFile: string, env?: Record<string, string>): number {
  const out = openSync(logFile, "a");
  const [program, ...args] = cmd;
  const child = spawn(program as string, args, {
    detached: true,
    stdio: ["ignore", out, out],
    env: { ...process.env, ...env },
  });
  child.unref();
  if (!child.pid) throw new Error(`cannot start ${program}`);
  return child.pid;
}
