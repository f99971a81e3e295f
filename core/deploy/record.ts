import { mkdir, writeFile } from "node:fs/promises";
import { sshUrlOf } from "../hosts/definitions.ts";
import type { HostSet } from "../hosts/hosts.ts";
import type { LabModel } from "../topology/index.ts";
import { sshConfig, toJson, topologyData, writeHostsBlock, writeSshConfig } from "./artifacts.ts";
import type { LabContainer } from "./inspect.ts";
import { ansibleInventory, nornirInventory } from "./inventory.ts";
import type { DeployPlan } from "./plan.ts";
import type { Reporter } from "./reporter.ts";
import { readState, stateFromPlan, writeState } from "./state.ts";

// What a finished deploy leaves behind: Containerlab's lab-dir files (topology data, inventories),
// the hosts block and ssh config, and lab's record of what runs (for the next apply).

/** Records what now runs, for the next apply; a partial deploy updates its nodes and links only. */
export async function recordState(lab: LabModel, plan: DeployPlan): Promise<void> {
  const next = stateFromPlan(plan);
  const previous = plan.partial ? await readState(lab.labDir) : undefined;
  if (previous) {
    next.nodes = { ...previous.nodes, ...next.nodes };
    next.links = { ...previous.links, ...next.links };
    if (!next.hosts && previous.hosts) next.hosts = previous.hosts;
  }
  await writeState(lab.labDir, next);
}

export async function writeArtifacts(lab: LabModel, containers: LabContainer[], reporter: Reporter, hosts: HostSet) {
  const platform = hosts.local.platform;
  await mkdir(lab.labDir, { recursive: true });
  await writeFile(`${lab.labDir}/topology-data.json`, `${toJson(topologyData(lab, containers))}\n`);
  await writeFile(`${lab.labDir}/ansible-inventory.yml`, ansibleInventory(lab, containers));
  await writeFile(
    `${lab.labDir}/nornir-simple-inventory.yml`,
    nornirInventory(lab, containers, platform.env("CLAB_NORNIR_PLATFORM_NAME_SCHEMA") ?? ""),
  );
  await writeHostsBlock(lab.name, containers).catch((e) =>
    reporter.warn(`cannot update /etc/hosts: ${(e as Error).message}`),
  );
  const users = Object.fromEntries(lab.nodes.map((n) => [n.name, n.credentials.username]));
  const jumps = Object.fromEntries(hosts.remotes.flatMap((h) => (h.def ? [[h.name, jumpOf(sshUrlOf(h.def))]] : [])));
  await writeSshConfig(lab.name, sshConfig(lab.name, containers, users, jumps)).catch((e) =>
    reporter.warn(`cannot write the ssh config: ${(e as Error).message}`),
  );
}

/** ssh://user@host:port as OpenSSH's ProxyJump writes it. */
function jumpOf(url: string): string {
  const u = new URL(url);
  return `${u.username ? `${decodeURIComponent(u.username)}@` : ""}${u.hostname}${u.port ? `:${u.port}` : ""}`;
}
