import { createDockerClient, type DockerClient } from "../runtime/docker/index.ts";
import { getPlatform, type Platform } from "../runtime/platform/index.ts";

/** The concrete adapters a command works with, wired once here so commands stay thin. */
export interface CliContext {
  platform: Platform;
  docker: DockerClient;
}

export async function cliContext(): Promise<CliContext> {
  const platform = await getPlatform();
  return { platform, docker: createDockerClient(platform) };
}
