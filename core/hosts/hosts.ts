import type { Duplex } from "node:stream";
import type { DockerClient } from "../../runtime/docker/index.ts";
import type { Platform } from "../../runtime/platform/index.ts";
import { LabError } from "../errors.ts";
import { type HostDef, LOCAL } from "./definitions.ts";

/**
 * A host lab deploys to: an engine and a place to run host-side commands (links, tunnels, netns
 * handles, firewall rules). This machine is "local"; others are reached over SSH. A single-host lab
 * is the one-host case: everything below takes hosts, and finds "local" there.
 */
export interface Host {
  name: string;
  docker: DockerClient;
  platform: Platform;
  /** For messages and the inspect HOST column: "local" or ssh://root@10.0.0.2. */
  display: string;
  def?: HostDef;
  /** Opens a TCP connection from this host (to a node's management address there), over its SSH. */
  dial?: (address: string, port: number) => Promise<Duplex>;
}

export class HostSet {
  private readonly byName = new Map<string, Host>();

  constructor(
    readonly local: Host,
    remotes: Host[] = [],
    private readonly closers: (() => Promise<void>)[] = [],
  ) {
    this.byName.set(LOCAL, local);
    for (const h of remotes) this.byName.set(h.name, h);
  }

  /** A host by name; absent or "local": this machine. */
  get(name: string | undefined): Host {
    const host = this.byName.get(name ?? LOCAL);
    if (!host) throw new LabError("internal", `host ${name} is not connected`);
    return host;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  get all(): Host[] {
    return [...this.byName.values()];
  }

  get remotes(): Host[] {
    return this.all.filter((h) => h.name !== LOCAL);
  }

  get defs(): HostDef[] {
    return this.remotes.flatMap((h) => (h.def ? [h.def] : []));
  }

  async close(): Promise<void> {
    await Promise.all(this.closers.splice(0).map((c) => c().catch(() => {})));
  }
}

/** The one-host case: this machine only. */
export const localOnly = (docker: DockerClient, platform: Platform) =>
  new HostSet({ name: LOCAL, docker, platform, display: LOCAL });
