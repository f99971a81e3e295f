import { createDockerClient, type DockerClient } from "../runtime/docker/index.ts";
import { chooseEngine } from "../runtime/engines.ts";
import { getPlatform, type Platform } from "../runtime/platform/index.ts";

/** The concrete adapters a command works with, wired once here so commands stay thin. */
export interface CliContext {
  platform: Platform;
  docker: DockerClient;
}

/** The engine: --runtime / LAB_RUNTIME, else Docker unless only Podman answers (runtime/engines.ts). */
export async function cliContext(): Promise<CliContext> {
  const platform = await getPlatform();
  const { runtime, host } = await chooseEngine(platform.env);
  return { platform, docker: createDockerClient(platform, host, runtime) };
}
