import type { ArgDef } from "citty";
import { listLabContainers } from "../../../core/deploy/inspect.ts";
import { LabError } from "../../../core/errors.ts";
import { sharePlan } from "../../../core/share/plan.ts";
import type { ShareState } from "../../../core/share/state.ts";
import type { DockerClient } from "../../../runtime/docker/index.ts";
import { renderTable } from "../../render/table.ts";
import { loadTopology, topoArgs } from "../_shared.ts";

export const shareArgs = {
  ...topoArgs,
  name: { type: "string", description: "Lab name (its topology file is found from the containers)" },
  api: { type: "string", description: "mysocket API base URL (default: $MYSOCKET_API or the public service)" },
  "max-tcp": { type: "string", description: "tcp-based sockets the account allows (default 5)" },
  "max-http": { type: "string", description: "http-based sockets the account allows (default 10)" },
} as const satisfies Record<string, ArgDef>;

export interface ShareArgs {
  topo?: string;
  name?: string;
  api?: string;
  "max-tcp"?: string;
  "max-http"?: string;
}

export function limitsOf(args: ShareArgs) {
  return { tcp: Number(args["max-tcp"] ?? 5), http: Number(args["max-http"] ?? 10) };
}

/** The lab to share: from -t, or from a deployed lab's name (its containers know their topology file). */
export async function shareLab(args: ShareArgs, docker: DockerClient) {
  const limits = limitsOf(args);
  let file = args.topo;
  if (args.name) {
    const containers = await listLabContainers(docker, args.name);
    file = containers.find((c) => c.topoFile)?.topoFile;
    if (!file)
      throw new LabError("not-found", `lab ${args.name} is not deployed`, {
        hint: "Run lab up first, or pass -t FILE",
      });
  }
  const lab = await loadTopology(file, { publishLimits: limits });
  const entries = sharePlan(lab, limits);
  if (!entries.length)
    throw new LabError("input", `lab ${lab.name} publishes no ports`, {
      hint: "Add publish: [tcp/22, http/3000] to a node",
    });
  return { lab, entries, limits };
}

/** The seed's "Published ports" table, then how to reach each one. */
export function publishedTable(state: ShareState): string {
  const rows = state.sockets.map((s) => [
    s.socketId,
    s.dnsname,
    s.ports.join(", "),
    s.type,
    String(s.cloudAuth),
    s.name,
  ]);
  const table = renderTable(["SOCKET ID", "DNS NAME", "PORT(S)", "TYPE", "CLOUD AUTH", "NAME"], rows);
  const hints = state.sockets.map((s) => `  ${s.node} ${s.type}/${s.target.split(":").at(-1)}: ${s.address}`);
  return `Published ports:\n${table}\n${hints.join("\n")}\n`;
}
