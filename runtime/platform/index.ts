import { LabError } from "../errors.ts";
import type { Platform } from "./types.ts";

export type { FetchFn, PathStat, Platform, RunOptions, RunResult } from "./types.ts";

export type RuntimeKey = "bun" | "deno" | "other";

export function getRuntimeKey(): RuntimeKey {
  const g = globalThis as { Bun?: unknown; Deno?: unknown };
  if (g.Bun !== undefined) return "bun";
  if (g.Deno !== undefined) return "deno";
  return "other";
}

let current: Promise<Platform> | undefined;

/** The adapter for the JS runtime we are running on, loaded lazily so each runtime only loads its own. */
export function getPlatform(): Promise<Platform> {
  current ??= (async () => {
    const key = getRuntimeKey();
    if (key === "bun") return (await import("./bun.ts")).bunPlatform;
    if (key === "deno") return (await import("./deno.ts")).denoPlatform;
    throw new LabError("unsupported", "lab runs on Bun or Deno; this JavaScript runtime is not supported");
  })();
  return current;
}
