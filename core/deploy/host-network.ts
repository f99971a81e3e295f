import { disallowBridge } from "../../runtime/net/firewall.ts";
import { deleteInterfaces, interfacesWithAlias, unlinkNetns } from "../../runtime/net/ip.ts";
import { LOCAL } from "../hosts/definitions.ts";
import type { LabModel } from "../topology/index.ts";
import { ensureNetwork, prepareBridge } from "./network.ts";
import { type DeployPlan, ownedBy } from "./plan.ts";
import { mapLimit } from "./pool.ts";
import type { Reporter } from "./reporter.ts";
import type { HostRun } from "./run-context.ts";

// What a deploy makes on each host besides the containers, and how a failed run takes back all it
// made there.

/** The management network on one host: created or reused, with what Containerlab sets up around it. */
export async function hostNetwork(run: HostRun, lab: LabModel, plan: DeployPlan, reporter: Reporter): Promise<void> {
  const { host } = run;
  const where = host.name === LOCAL ? "" : ` on ${host.name}`;
  const net = await ensureNetwork(plan, host.docker, plan.network.hosts?.[host.name]);
  run.created.network = net;
  reporter.info(`management network ${net.name}${where} (${net.created ? "created" : "reused"}, bridge ${net.bridge})`);
  if (!net.names && lab.nodes.length > 1)
    reporter.warn(
      `network ${net.name}${where} resolves no node names or aliases: nodes reach each other by address only (${
        (await host.docker.transport.podman())
          ? "Podman on CNI without DNS: install netavark and aardvark-dns, Podman's default network stack"
          : "Docker's default bridge has no DNS: use a network of your own in mgmt.network"
      })`,
    );
  // Firewall rules only for a network lab made: it removes them with it.
  if (net.created) {
    const rules = await prepareBridge(
      net,
      { externalAccess: lab.mgmt.externalAccess, ipv6: !!lab.mgmt.ipv6Subnet },
      host.platform,
      host.docker,
    );
    if (rules.length) reporter.debug(`external access${where}: ${rules.join(", ")} ACCEPT in DOCKER-USER`);
  }
}

/** Removes what this run created on one host, newest first; used on failure and on Ctrl-C. */
export async function rollback(run: HostRun, plan: DeployPlan): Promise<void> {
  const { host, created } = run;
  const { docker, platform } = host;
  await mapLimit([...created.containers].reverse(), 8, (c) => docker.containers.remove(c.id).catch(() => {}));
  for (const ns of created.netns) await unlinkNetns(platform, ns).catch(() => {});
  // Tunnels of vxlan-stitch links live on the host, not in a container.
  const made = new Set(created.containers.map((c) => plan.containers.find((s) => s.name === c.name)?.node ?? ""));
  await deleteInterfaces(platform, await interfacesWithAlias(platform, ownedBy(plan.lab.name, made))).catch(() => {});
  if (created.network?.created) {
    await docker.networks.remove(created.network.id).catch(() => {});
    await disallowBridge(platform, created.network.bridge);
  }
}
