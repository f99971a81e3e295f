import { LOCAL } from "../core/hosts/definitions.ts";
import { type HostSet, localOnly } from "../core/hosts/hosts.ts";
import type { HostsInput } from "../core/hosts/prepare.ts";
import { allRecalled, recalledHosts } from "../core/hosts/registry.ts";
import { createDockerClient, type DockerClient } from "../runtime/docker/index.ts";
import { tlsFromEnv } from "../runtime/docker/tls.ts";
import { chooseEngine } from "../runtime/engines.ts";
import { getPlatform, type Platform } from "../runtime/platform/index.ts";
import { logger } from "./logger.ts";

/** The concrete adapters a command works with, wired once here so commands stay thin. */
export interface CliContext {
  platform: Platform;
  docker: DockerClient;
}

/** The engine: --runtime / LAB_RUNTIME, else Docker unless only Podman answers (runtime/engines.ts). */
export async function cliContext(): Promise<CliContext> {
  const platform = await getPlatform();
  const { runtime, host } = await chooseEngine(platform.env);
  return { platform, docker: createDockerClient(platform, host, runtime, tlsFromEnv(platform.env)) };
}

const open: HostSet[] = [];

/**
 * This machine and the other hosts a lab runs on (its nodes' lab.host labels with lab-hosts.yml and
 * --host, or the hosts remembered for it), connected over SSH; closed when the command ends.
 */
export async function cliHosts(input: HostsInput): Promise<{ hosts: HostSet; nodeHost: Map<string, string> }> {
  const { platform, docker } = await cliContext();
  const local = { name: LOCAL, docker, platform, display: LOCAL };
  // A lab on this machine only (the common case) loads and connects nothing more.
  const env = (k: string) => process.env[k];
  const remembered = input.all
    ? (await allRecalled(env)).length
    : input.name || input.lab
      ? (await recalledHosts(env, (input.name ?? input.lab?.name) as string)).length
      : 0;
  if (!input.flags.length && !input.lab?.nodes.some((n) => n.host) && !remembered)
    return { hosts: localOnly(docker, platform), nodeHost: new Map() };
  // Loaded on use: SSH and the rest of the multi-host code are not paid by every command.
  const { hostsFor } = await import("../core/hosts/prepare.ts");
  const out = await hostsFor(local, input, { env: process.env, warn: (m) => logger.warn(m) });
  open.push(out.hosts);
  return out;
}

/** Closes the SSH connections a command opened (run.ts, once it ends). */
export async function closeHosts(): Promise<void> {
  await Promise.all(open.splice(0).map((h) => h.close()));
}
