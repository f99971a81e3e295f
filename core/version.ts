import type { DockerClient } from "../runtime/docker/index.ts";
import type { Platform } from "../runtime/platform/index.ts";
import { buildInfo } from "./build-info.ts";

export interface VersionReport {
  lab: { version: string; commit: string; date?: string };
  runtime: { name: string; version: string };
  /** runtime: the JS runtime lab runs on; engine.runtime: the container engine (docker or podman). */
  engine: {
    runtime: string;
    name: string;
    host: string;
    version: string;
    apiVersion: string;
    negotiatedApiVersion: string;
    os: string;
    arch: string;
  };
}

/**
 * lab's own build, the JS runtime it runs on, and the container engine it talks to: named from what
 * answers (DOCKER_HOST may point at Podman's socket), not only from what was asked for.
 */
export async function versionReport(platform: Platform, docker: DockerClient): Promise<VersionReport> {
  const negotiated = await docker.system.ping();
  const engine = await docker.system.version();
  const podman = await docker.transport.podman();
  return {
    lab: { ...buildInfo },
    runtime: { name: platform.name, version: platform.version },
    engine: {
      runtime: podman ? "podman" : "docker",
      name: podman ? "Podman" : "Docker",
      host: docker.host.display,
      version: engine.Version,
      apiVersion: engine.ApiVersion,
      negotiatedApiVersion: negotiated,
      os: engine.Os,
      arch: engine.Arch,
    },
  };
}
