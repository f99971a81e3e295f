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
  const c = containers.find((x) => x.network);
  if (!c) return;
  const net = await deps.docker.networks.find(c.network);
  if (!net) return;
  const bridge = await deps.docker.networks.bridge(net);
  if (bridge === "docker0" || !(await interfaceExists(deps.platform, bridge))) return;
  await forwardLldp(deps.platform, bridge);
  const state = await readState(c.labDir);
  for (const link of Object.values(state?.links ?? {}))
    for (const end of [link.a, link.b])
      if (end?.where === "host" && end.master === "@mgmt" && (await interfaceExists(deps.platform, end.iface)))
        await deps.platform.run(["ip", "link", "set", "dev", end.iface, "master", bridge, "up"]);
}
