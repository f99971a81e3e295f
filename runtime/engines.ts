import { existsSync } from "node:fs";
import { connect } from "node:net";
import { LabError } from "./errors.ts";

// The container engines lab speaks to, a table: both serve the Docker Engine API (Podman through
// `podman system service`); what differs is where their socket is and how to name them in messages.
// The few behaviours that differ (bridge names, default capabilities) follow what answers the
// socket (the transport's podman()), so DOCKER_HOST=<podman socket> behaves the same as --runtime podman.

export const RUNTIME_NAMES = ["docker", "podman"] as const;
export type RuntimeName = (typeof RUNTIME_NAMES)[number];

export interface RuntimeDef {
  name: RuntimeName;
  /** For messages: "the Docker Engine", "Podman"; and how to start it or point lab at it. */
  label: string;
  hint: string;
  /** Candidate engine addresses, first that exists wins. */
  hosts(env: (name: string) => string | undefined): string[];
}

export const RUNTIMES: Record<RuntimeName, RuntimeDef> = {
  docker: {
    name: "docker",
    label: "the Docker Engine",
    hint: "Is dockerd running? Set DOCKER_HOST to use another.",
    hosts: (env) => [env("DOCKER_HOST") || "unix:///var/run/docker.sock"],
  },
  podman: {
    name: "podman",
    label: "Podman",
    hint: "Is podman system service running (its socket /run/podman/podman.sock)? Set CONTAINER_HOST to use another.",
    // CONTAINER_HOST as Podman's own tools read it; else the rootful socket, then the user's.
    hosts: (env) =>
      env("CONTAINER_HOST")
        ? [env("CONTAINER_HOST") as string]
        : [
            "unix:///run/podman/podman.sock",
            ...(env("XDG_RUNTIME_DIR") ? [`unix://${env("XDG_RUNTIME_DIR")}/podman/podman.sock`] : []),
          ],
  },
};

const socketOf = (host: string) => (host.startsWith("unix://") ? host.slice(7) : undefined);

/**
 * Whether something serves a unix socket (a few ms; a dead dockerd leaves its socket). One this user
 * may not open counts: it is the engine meant, and its error says what permission is missing.
 */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.once("connect", () => done(true));
    s.once("error", (e: NodeJS.ErrnoException) => done(e.code === "EACCES" || e.code === "EPERM"));
    setTimeout(() => done(false), 500);
  });
}

export interface SocketProbe {
  exists(path: string): boolean;
  answers(path: string): Promise<boolean>;
}

const hostProbe: SocketProbe = { exists: existsSync, answers };

/**
 * The engine to use: --runtime / LAB_RUNTIME / CLAB_RUNTIME when given; else DOCKER_HOST means
 * Docker and CONTAINER_HOST means Podman; else Docker's socket unless it is missing or dead and a
 * Podman socket (rootful, then the user's) is there.
 */
export async function chooseEngine(
  env: (name: string) => string | undefined,
  probe: SocketProbe = hostProbe,
): Promise<{ runtime: RuntimeDef; host: string }> {
  const present = (host: string) => {
    const path = socketOf(host);
    return path ? probe.exists(path) : true;
  };
  const named = env("LAB_RUNTIME") || env("CLAB_RUNTIME");
  if (named) {
    const runtime = RUNTIMES[named as RuntimeName];
    if (!runtime)
      throw new LabError("usage", `runtime ${named} is not one lab speaks to`, {
        hint: `Use ${RUNTIME_NAMES.join(" or ")}`,
      });
    const hosts = runtime.hosts(env);
    return { runtime, host: hosts.find(present) ?? (hosts[0] as string) };
  }
  const docker = RUNTIMES.docker.hosts(env)[0] as string;
  if (env("DOCKER_HOST")) return { runtime: RUNTIMES.docker, host: docker };
  if (env("CONTAINER_HOST")) return { runtime: RUNTIMES.podman, host: env("CONTAINER_HOST") as string };
  const podman = RUNTIMES.podman.hosts(env).find(present);
  if (!podman) return { runtime: RUNTIMES.docker, host: docker };
  const dockerSocket = socketOf(docker) as string;
  if (probe.exists(dockerSocket) && (await probe.answers(dockerSocket)))
    return { runtime: RUNTIMES.docker, host: docker };
  return { runtime: RUNTIMES.podman, host: podman };
}
