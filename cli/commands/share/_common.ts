import { dirname } from "node:path";
import type { ArgDef } from "citty";
import { listLabContainers } from "../../../core/deploy/inspect.ts";
import { LabError } from "../../../core/errors.ts";
import { sharePlan } from "../../../core/share/plan.ts";
import { buildProvider, type ProviderChoice, pickProviderId } from "../../../core/share/providers/index.ts";
import type { ShareProvider } from "../../../core/share/providers/types.ts";
import type { TopologyPlace } from "../../../core/share/token-lookup.ts";
import type { DockerClient } from "../../../runtime/docker/index.ts";
import type { Platform } from "../../../runtime/platform/index.ts";
import { logger } from "../../logger.ts";
import { loadTopology, topoArgs } from "../_shared.ts";

export const shareArgs = {
  ...topoArgs,
  name: { type: "string", description: "Lab name (its topology file is found from the containers)" },
  provider: {
    type: "string",
    description:
      "border0, ssh or mysocket (default: ssh with --via, else $LAB_SHARE_PROVIDER, mysocket when set up, else border0)",
  },
  via: { type: "string", description: "Your own SSH edge: ssh://user@host[:port] (the ssh provider)" },
  identity: { type: "string", description: "Key for --via (default: ssh-agent and ~/.ssh/id_*)" },
  "accept-new-host-key": { type: "boolean", description: "Record an unknown --via host key instead of refusing it" },
  "remote-ports": {
    type: "string",
    description: "Ports to ask the --via edge for, e.g. 20000-20100 (default: its choice)",
  },
  edge: { type: "string", description: "What the --via edge runs: openssh (default) or sish" },
  public: {
    type: "boolean",
    description: "Share entries whose publish: has an allow-list through --via anyway (an own edge cannot enforce it)",
  },
  api: {
    type: "string",
    description: "API base URL of mysocket or Border0 (default: MYSOCKET_API / BORDER0_API or the service)",
  },
  "max-tcp": { type: "string", description: "tcp-based sockets the account allows (default 5)" },
  "max-http": { type: "string", description: "http-based sockets the account allows (default 10)" },
} as const satisfies Record<string, ArgDef>;

export interface ShareArgs {
  topo?: string;
  name?: string;
  provider?: string;
  via?: string;
  identity?: string;
  "accept-new-host-key"?: boolean;
  "remote-ports"?: string;
  edge?: string;
  public?: boolean;
  api?: string;
  "max-tcp"?: string;
  "max-http"?: string;
}

export const choiceOf = (args: ShareArgs): ProviderChoice => ({
  provider: args.provider,
  via: args.via,
  api: args.api,
  identity: args.identity,
  acceptNewHostKey: args["accept-new-host-key"],
  remotePorts: args["remote-ports"],
  edge: args.edge,
  public: args.public,
});

/** The topology file: -t, or the one a deployed lab's containers name. */
async function topologyFile(args: ShareArgs, docker: DockerClient): Promise<string | undefined> {
  if (!args.name) return args.topo;
  const containers = await listLabContainers(docker, args.name);
  const file = containers.find((c) => c.topoFile)?.topoFile;
  if (!file)
    throw new LabError("not-found", `lab ${args.name} is not deployed`, { hint: "Run lab up first, or pass -t FILE" });
  return file;
}

/** The lab to share and its entries, checked against the chosen service's limits (an own edge has none). */
export async function shareLab(
  args: ShareArgs & { console?: boolean; "console-only"?: boolean },
  docker: DockerClient,
  env: (name: string) => string | undefined,
) {
  const file = await topologyFile(args, docker);
  const dir = file && file !== "-" && !/^[a-z]+:\/\//.test(file) ? dirname(file) : process.cwd();
  const unlimited = pickProviderId(choiceOf(args), env, { dir }) === "ssh";
  const limits = unlimited
    ? { tcp: Number.MAX_SAFE_INTEGER, http: Number.MAX_SAFE_INTEGER }
    : { tcp: Number(args["max-tcp"] ?? 5), http: Number(args["max-http"] ?? 10) };
  const lab = await loadTopology(file, { publishLimits: limits });
  const entries = args["console-only"] ? [] : sharePlan(lab, limits);
  if (!entries.length && !args.console)
    throw new LabError("input", `lab ${lab.name} publishes no ports`, {
      hint: "Add publish: [tcp/22, http/3000] to a node, or share its console with --console",
    });
  return { lab, entries, limits };
}

/** The provider, its token or host checked for presence (the service's own answer comes later). */
export async function shareProvider(
  args: ShareArgs,
  platform: Platform,
  topology: TopologyPlace,
): Promise<ShareProvider> {
  return buildProvider(choiceOf(args), platform.env, topology, (m) => logger.warn(m));
}

/** Arguments of the background sharer: the lab, the provider, the limits. */
export function detachedArgs(file: string, provider: ShareProvider, limits: { tcp: number; http: number }): string[] {
  return [
    "-t",
    file,
    ...provider.args,
    ...(limits.tcp < Number.MAX_SAFE_INTEGER
      ? ["--max-tcp", String(limits.tcp), "--max-http", String(limits.http)]
      : []),
  ];
}
