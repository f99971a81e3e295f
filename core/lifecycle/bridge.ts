import { forwardLldp } from "../../runtime/net/firewall.ts";
import { interfaceExists } from "../../runtime/net/ip.ts";
import type { LabContainer } from "../deploy/inspect.ts";
import { readState } from "../deploy/state.ts";
import type { LifecycleDeps } from "./index.ts";

/**
 * After nodes start: the management bridge as lab left it. Podman's netavark deletes the bridge when
 * its last container stops and makes a fresh one when the next starts, which forgets LLDP forwarding
 * and drops the host ends of mgmt-net links; both are put back (a no-op on Docker's lasting bridge).
 */
export async function settleMgmtBridge(containers: LabContainer[], deps: LifecycleDeps): Promise<void> {
  // One pass per host the containers are on.
  const byHost = new Map<string, LabContainer>();
  for (const c of containers) if (c.network && !byHost.has(c.host ?? "")) byHost.set(c.host ?? "", c);
  for (const c of byHost.values()) {
    const { docker, platform } = deps.hosts.get(c.host);
    const net = await docker.networks.find(c.network);
    if (!net) continue;
    const bridge = await docker.networks.bridge(net);
    if (bridge === "docker0" || !(await interfaceExists(platform, bridge))) continue;
    await forwardLldp(platform, bridge);
    const state = await readState(c.labDir);
    for (const link of Object.values(state?.links ?? {}))
      for (const end of [link.a, link.b])
        if (
          end?.where === "host" &&
          end.master === "@mgmt" &&
          (end.host ?? undefined) === c.host &&
          (await interfaceExists(platform, end.iface))
        )
          await platform.run(["ip", "link", "set", "dev", end.iface, "master", bridge, "up"]);
  }
}
