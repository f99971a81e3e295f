import type { DockerClient } from "../../runtime/docker/index.ts";
import type { ContainerSummary } from "../../runtime/docker/types.ts";

// The helper containers Containerlab's tools start beside a lab (sshx, gotty, the API server), known
// by their `tool-type` label. lab lists and removes them in Containerlab's shapes, so a host where
// Containerlab started some can be tidied with lab, and scripts that list them get an answer.

export type ToolType = "sshx" | "gotty" | "api-server";

export interface ToolContainer {
  name: string;
  network: string;
  state: string;
  ipv4: string;
  owner: string;
  labels: Record<string, string>;
}

const first = (c: ContainerSummary) => Object.entries(c.NetworkSettings?.Networks ?? {})[0];

export async function listToolContainers(docker: DockerClient, type: ToolType): Promise<ToolContainer[]> {
  const found = await docker.containers.list({ "tool-type": type });
  return found
    .map((c) => {
      const net = first(c);
      return {
        name: (c.Names[0] ?? c.Id).replace(/^\//, ""),
        network: net?.[0] ?? "unknown",
        state: c.State,
        ipv4: net?.[1].IPAddress ?? "",
        owner: c.Labels["clab-owner"] || "N/A",
        labels: c.Labels,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Removes a tool container of this type by name; false when there is none. */
export async function removeToolContainer(docker: DockerClient, type: ToolType, name: string): Promise<boolean> {
  const match = (await listToolContainers(docker, type)).find((c) => c.name === name);
  if (!match) return false;
  await docker.containers.remove(match.name, { force: true });
  return true;
}
