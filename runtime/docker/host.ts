import { LabError } from "../errors.ts";

export const DEFAULT_DOCKER_SOCKET = "/var/run/docker.sock";

/** Where the engine listens, parsed from DOCKER_HOST. */
export type EngineHost =
  | { kind: "unix"; socketPath: string; display: string; baseUrl: string }
  | { kind: "tcp"; display: string; baseUrl: string };

export function parseDockerHost(value: string | undefined): EngineHost {
  const raw = value?.trim() || `unix://${DEFAULT_DOCKER_SOCKET}`;
  if (raw.startsWith("unix://")) {
    const socketPath = raw.slice("unix://".length);
    if (!socketPath.startsWith("/")) {
      throw new LabError("usage", `DOCKER_HOST=${raw} is not an absolute socket path`, {
        hint: "Use unix:///path/to/docker.sock",
      });
    }
    // The host part of the URL is ignored on a unix socket but must be a valid name.
    return { kind: "unix", socketPath, display: raw, baseUrl: "http://docker" };
  }
  if (raw.startsWith("tcp://") || raw.startsWith("http://")) {
    const url = new URL(raw.replace(/^tcp:/, "http:"));
    if (!url.port) url.port = "2375";
    return { kind: "tcp", display: raw, baseUrl: `http://${url.host}` };
  }
  throw new LabError("usage", `DOCKER_HOST=${raw} uses an unsupported scheme`, {
    hint: "lab speaks to unix:// and tcp:// engines (TLS: put a local proxy in front)",
  });
}
