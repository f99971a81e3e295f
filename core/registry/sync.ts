import type { Reporter } from "../deploy/reporter.ts";
import { LabError } from "../errors.ts";
import type { LabModel } from "../topology/index.ts";
import type { RegistryClient } from "./client.ts";
import { type CopyResult, copyRegistryImage } from "./copy.ts";
import type { Platform } from "./pull.ts";
import { parseReference } from "./reference.ts";
import { targetsFor } from "./topology.ts";

export interface SyncOptions {
  lab: LabModel;
  to: string;
  all: boolean;
  platform: Platform;
  signal?: AbortSignal;
}

export interface SyncDeps {
  /** A session to `registry`; `side` picks the credentials (source or destination). */
  session(registry: string, side: "src" | "dest"): Promise<RegistryClient>;
  reporter: Reporter;
}

/**
 * Mirrors every image a lab pulls into REGISTRY/PROJECT, as `skopeo sync` would, one image after
 * the other (each streams its blobs concurrently). An image the source registry does not have
 * (built locally) is named with the command that pushes it from the engine instead.
 */
export async function syncLab(
  options: SyncOptions,
  deps: SyncDeps,
): Promise<{ results: CopyResult[]; targets: Map<string, string> }> {
  const targets = targetsFor(options.lab, options.to);
  if (!targets.size) throw new LabError("input", `${options.lab.file} uses no container images`);
  const results: CopyResult[] = [];
  const sessions = new Map<string, Promise<RegistryClient>>();
  const session = (registry: string, side: "src" | "dest") => {
    const key = `${side} ${registry}`;
    if (!sessions.has(key)) sessions.set(key, deps.session(registry, side));
    return sessions.get(key) as Promise<RegistryClient>;
  };
  for (const [image, target] of targets) {
    const src = parseReference(image);
    const dest = parseReference(target);
    try {
      results.push(
        await copyRegistryImage(
          { src, dest, all: options.all, platform: options.platform, signal: options.signal },
          {
            source: await session(src.registry, "src"),
            dest: await session(dest.registry, "dest"),
            reporter: deps.reporter,
          },
        ),
      );
    } catch (error) {
      if (error instanceof LabError && error.code === "not-found")
        throw new LabError("not-found", `${image}: ${error.message}`, {
          hint: `An image built locally is pushed from the engine: lab images push -t ${options.lab.file} --to ${options.to}`,
        });
      throw error;
    }
    deps.reporter.success(`${image} → ${target}`);
  }
  return { results, targets };
}
