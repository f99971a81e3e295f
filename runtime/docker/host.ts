import { LabError } from "../errors.ts";
import type { TlsOptions } from "../platform/types.ts";

export const DEFAULT_DOCKER_SOCKET = "/var/run/docker.sock";

/** What the engine is, for messages: its name and how to start or point at it. */
export interface EngineLabel {
  label: string;
  hint: string;
}

export const DOCKER_LABEL: EngineLabel = {
  label: "the Docker Engine",
  hint: "Is dockerd running? Set DOCKER_HOST to use another.",
};

/** Where the engine listens, parsed from DOCKER_HOST (or Podman's socket). */
export type EngineHost = EngineLabel &
  (
    | { kind: "unix"; socketPath: string; display: string; baseUrl: string }
    | { kind: "tcp"; display: string; baseUrl: string; tls?: TlsOptions }
  );

export function parseDockerHost(
  value: string | undefined,
  engine: EngineLabel = DOCKER_LABEL,
  tls?: TlsOptions,
): EngineHost {
  const raw = value?.trim() || `unix://${DEFAULT_DOCKER_SOCKET}`;
  if (raw.startsWith("unix://")) {
    const socketPath = raw.slice("unix://".length);
    if (!socketPath.startsWith("/")) {
      throw new LabError("usage", `DOCKER_HOST=${raw} is not an absolute socket path`, {
        hint: "Use unix:///path/to/docker.sock",
      });
    }
    // The host part of the URL is ignored on a unix socket but must be a valid name.
    return { ...engine, kind: "unix", socketPath, display: raw, baseUrl: "http://docker" };
  }
  if (raw.startsWith("tcp://") || raw.startsWith("http://")) {
    const url = new URL(raw.replace(/^tcp:/, "http:"));
    if (!url.port) url.port = tls ? "2376" : "2375";
    return tls
      ? { ...engine, kind: "tcp", display: raw, baseUrl: `https://${url.host}`, tls }
      : { ...engine, kind: "tcp", display: raw, baseUrl: `http://${url.host}` };
  }
  throw new LabError("usage", `DOCKER_HOST=${raw} uses an unsupported scheme`, {
    hint: "lab speaks to unix:// and tcp:// engines here (ssh:// hosts: lab up --host NAME=ssh://…)",
  });
}
