import { sh } from "./env.ts";

/**
 * The container engines the end-to-end suites run against, a table: the same test bodies take one of
 * these. `env` points lab at it; `cli` is its own command line, for checking from outside.
 */
export interface TestEngine {
  name: "docker" | "podman";
  cli: string;
  env: Record<string, string>;
  /** The Linux bridge behind a network, as the engine's own CLI tells it. */
  bridge(network: string): string;
  /** A shell command pulling `ref` from a plain-HTTP loopback registry with `authDir`/config.json. */
  pull(ref: string, authDir: string): string;
}

export const ENGINES: Record<TestEngine["name"], TestEngine> = {
  docker: {
    name: "docker",
    cli: "docker",
    env: { LAB_RUNTIME: "docker" },
    bridge: (network) => `br-${sh(`docker network inspect -f '{{.Id}}' ${network}`).stdout.trim().slice(0, 12)}`,
    pull: (ref, authDir) => `DOCKER_CONFIG=${authDir} docker pull -q ${ref}`,
  },
  podman: {
    name: "podman",
    cli: "podman",
    env: { LAB_RUNTIME: "podman" },
    bridge: (network) => sh(`podman network inspect -f '{{.NetworkInterface}}' ${network}`).stdout.trim(),
    pull: (ref, authDir) => `podman pull -q --tls-verify=false --authfile ${authDir}/config.json ${ref}`,
  },
};
