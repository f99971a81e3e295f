import type { DockerClient, NetworkCreateSpec, NetworkInspect } from "../../runtime/docker/index.ts";
import { allowBridge } from "../../runtime/net/firewall.ts";
import type { Platform } from "../../runtime/platform/index.ts";
import { LabError } from "../errors.ts";
import type { DeployPlan } from "./plan.ts";

export interface MgmtNetwork {
  name: string;
  id: string;
  /** The Linux bridge behind it, for mgmt-net links. */
  bridge: string;
  created: boolean;
  /** Whether the engine resolves node names and aliases on it (not Docker's default bridge, not Podman on CNI). */
  names: boolean;
}

/**
 * After the network exists, with `external-access` (the default): hosts outside may reach the nodes
 * through DOCKER-USER ACCEPT rules, as Containerlab sets them up.
 */
export async function prepareBridge(
  net: MgmtNetwork,
  lab: { externalAccess: boolean; ipv6: boolean },
  platform: Platform,
  docker: DockerClient,
): Promise<string[]> {
  if (net.bridge === "docker0") return [];
  // DOCKER-USER is Docker's chain: Containerlab's Podman runtime leaves the firewall alone, so does lab.
  if (await docker.transport.podman()) return [];
  return lab.externalAccess ? allowBridge(platform, net.bridge, lab.ipv6) : [];
}

/** Reuses the management network when it exists, else creates it (MTU from Docker's default bridge). */
export async function ensureNetwork(
  plan: DeployPlan,
  docker: DockerClient,
  spec: NetworkCreateSpec = plan.network.spec,
): Promise<MgmtNetwork> {
  const { net, created } = await findOrCreate(plan, docker, spec);
  const [bridge, names] = await Promise.all([docker.networks.bridge(net), docker.networks.resolvesNames(net)]);
  return { name: net.Name, id: net.Id, bridge, created, names };
}

async function findOrCreate(
  plan: DeployPlan,
  docker: DockerClient,
  base: NetworkCreateSpec,
): Promise<{ net: NetworkInspect; created: boolean }> {
  const existing = await docker.networks.find(plan.network.name);
  if (existing) return { net: existing, created: false };
  const spec = structuredClone(base);
  // Docker 28 (API 1.48) stops routing to container addresses from outside unless told otherwise.
  const [major, minor] = (await docker.transport.apiVersion()).split(".").map(Number) as [number, number];
  if (major > 1 || minor >= 48) {
    spec.Options = {
      "com.docker.network.bridge.gateway_mode_ipv4": "nat-unprotected",
      ...(spec.EnableIPv6 ? { "com.docker.network.bridge.gateway_mode_ipv6": "nat-unprotected" } : {}),
      ...spec.Options,
    };
  }
  if (!spec.Options?.["com.docker.network.driver.mtu"]) {
    const mtu = (await docker.networks.find("bridge"))?.Options?.["com.docker.network.driver.mtu"] ?? "1500";
    spec.Options = { ...spec.Options, "com.docker.network.driver.mtu": mtu };
  }
  try {
    await docker.networks.create(spec);
  } catch (error) {
    if (error instanceof LabError && error.code === "conflict") {
      // Another lab created it at the same moment: use theirs.
      return { net: await docker.networks.inspect(plan.network.name), created: false };
    }
    if (error instanceof LabError && /overlap/i.test(error.message)) {
      const subnets = spec.IPAM?.Config?.map((c) => c.Subnet).join(", ");
      throw new LabError("conflict", `management subnet ${subnets} overlaps an existing network`, {
        hint: "Set mgmt.ipv4-subnet/ipv6-subnet to a free range, or mgmt.network to reuse an existing network",
      });
    }
    throw error;
  }
  return { net: await docker.networks.inspect(plan.network.name), created: true };
}
