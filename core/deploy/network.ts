import type { DockerClient, NetworkInspect } from "../../runtime/docker/index.ts";
import { LabError } from "../errors.ts";
import type { DeployPlan } from "./plan.ts";

export interface MgmtNetwork {
  name: string;
  id: string;
  /** The Linux bridge behind it, for mgmt-net links. */
  bridge: string;
  created: boolean;
}

export function bridgeOf(net: NetworkInspect): string {
  if (net.Name === "bridge") return "docker0";
  return net.Options?.["com.docker.network.bridge.name"] ?? `br-${net.Id.slice(0, 12)}`;
}

/** Reuses the management network when it exists, else creates it (MTU from Docker's default bridge). */
export async function ensureNetwork(plan: DeployPlan, docker: DockerClient): Promise<MgmtNetwork> {
  const existing = await docker.networks.find(plan.network.name);
  if (existing) return { name: existing.Name, id: existing.Id, bridge: bridgeOf(existing), created: false };
  const spec = structuredClone(plan.network.spec);
  if (!spec.Options?.["com.docker.network.driver.mtu"]) {
    const mtu = (await docker.networks.find("bridge"))?.Options?.["com.docker.network.driver.mtu"] ?? "1500";
    spec.Options = { ...spec.Options, "com.docker.network.driver.mtu": mtu };
  }
  try {
    await docker.networks.create(spec);
  } catch (error) {
    if (error instanceof LabError && error.code === "conflict") {
      // Another lab created it at the same moment: use theirs.
      const raced = await docker.networks.inspect(plan.network.name);
      return { name: raced.Name, id: raced.Id, bridge: bridgeOf(raced), created: false };
    }
    if (error instanceof LabError && /overlap/i.test(error.message)) {
      const subnets = spec.IPAM?.Config?.map((c) => c.Subnet).join(", ");
      throw new LabError("conflict", `management subnet ${subnets} overlaps an existing Docker network`, {
        hint: "Set mgmt.ipv4-subnet/ipv6-subnet to a free range, or mgmt.network to reuse an existing network",
      });
    }
    throw error;
  }
  const net = await docker.networks.inspect(plan.network.name);
  return { name: net.Name, id: net.Id, bridge: bridgeOf(net), created: true };
}
