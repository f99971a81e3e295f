export { createDockerClient, type DockerClient } from "./client.ts";
export { type EngineHost, parseDockerHost } from "./host.ts";
export { encodeRegistryAuth, splitImageTag } from "./images.ts";
export type * from "./types.ts";
