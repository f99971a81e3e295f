import type { DockerClient } from "../../runtime/docker/index.ts";
import { linkNetns, listInterfaces, NETNS_DIR, type NetInterface } from "../../runtime/net/ip.ts";
import type { Platform } from "../../runtime/platform/index.ts";
import type { LabContainer } from "./inspect.ts";
import { mapLimit } from "./pool.ts";

export interface NodeInterfaces {
  lab: string;
  node: string;
  container: string;
  interfaces: NetInterface[];
}

/**
 * Every running node's interfaces, read in its network namespace: what the links look like from
 * inside (state, MTU, MAC). The netns name lab made at deploy is renewed when it has gone (a reboot
 * clears /run/netns).
 */
export async function labInterfaces(
  containers: LabContainer[],
  docker: DockerClient,
  platform: Platform,
  exists: (path: string) => boolean,
): Promise<NodeInterfaces[]> {
  const running = containers.filter((c) => c.state === "running");
  return mapLimit(running, 8, async (c) => {
    if (!exists(`${NETNS_DIR}/${c.name}`)) {
      const pid = (await docker.containers.inspect(c.id)).State.Pid;
      if (pid) await linkNetns(pid, c.name);
    }
    return { lab: c.lab, node: c.node, container: c.name, interfaces: await listInterfaces(platform, c.name) };
  });
}
