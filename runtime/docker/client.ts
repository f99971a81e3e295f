import { RUNTIMES, type RuntimeDef } from "../engines.ts";
import type { Platform, TlsOptions } from "../platform/types.ts";
import { containersApi } from "./containers.ts";
import { execApi } from "./exec.ts";
import { type EngineHost, parseDockerHost } from "./host.ts";
import { imagesApi } from "./images.ts";
import { networksApi } from "./networks.ts";
import { systemApi } from "./system.ts";
import { createEngineTransport, type EngineTransport } from "./transport.ts";

export interface DockerClient {
  readonly host: EngineHost;
  readonly transport: EngineTransport;
  readonly system: ReturnType<typeof systemApi>;
  readonly networks: ReturnType<typeof networksApi>;
  readonly containers: ReturnType<typeof containersApi>;
  readonly exec: ReturnType<typeof execApi>;
  readonly images: ReturnType<typeof imagesApi>;
}

/** A Docker Engine client over plain HTTP, on the socket or TCP address DOCKER_HOST names. */
export function createDockerClient(
  platform: Platform,
  dockerHost = platform.env("DOCKER_HOST"),
  runtime: RuntimeDef = RUNTIMES.docker,
  tls?: TlsOptions,
): DockerClient {
  const host = parseDockerHost(dockerHost, runtime, dockerHost?.startsWith("tcp://") ? tls : undefined);
  const transport = createEngineTransport(host, platform);
  return {
    host,
    transport,
    system: systemApi(transport),
    networks: networksApi(transport),
    containers: containersApi(transport),
    exec: execApi(transport),
    images: imagesApi(transport),
  };
}
