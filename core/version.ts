import type { DockerClient } from "../runtime/docker/index.ts";
import type { Platform } from "../runtime/platform/index.ts";
import { buildInfo } from "./build-info.ts";

export interface VersionReport {
  lab: { version: string; commit: string; date?: string };
  runtime: { name: string; version: string };
  engine: { host: string; version: string; apiVersion: string; negotiatedApiVersion: string; os: string; arch: string };
}

/** lab's own build, the JS runtime it runs on, and the Docker Engine it talks to. */
export async function versionReport(platform: Platform, docker: DockerClient): Promise<VersionReport> {
  const negotiated = await docker.system.ping();
  const engine = await docker.system.version();
  return {
    lab: { ...buildInfo },
    runtime: { name: platform.name, version: platform.version },
    engine: {
      host: docker.host.display,
      version: engine.Version,
      apiVersion: engine.ApiVersion,
      negotiatedApiVersion: negotiated,
      os: engine.Os,
      arch: engine.Arch,
    },
  };
}
