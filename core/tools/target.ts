import type { DockerClient } from "../../runtime/docker/index.ts";
import { inNetns, listInterfaces } from "../../runtime/net/ip.ts";
import type { Platform } from "../../runtime/platform/index.ts";
import { listLabContainers } from "../deploy/inspect.ts";
import { LabError } from "../errors.ts";
import { closest } from "../topology/closest.ts";

// The node a tools command acts on: a container name, as Containerlab's tools take it
// (-n clab-lab1-r1), or a node name of the lab named by -t / --name; and one of its interfaces,
// by its Linux name, an altname, or the NOS name it was written as (ethernet-1/1).

export interface NodeTarget {
  container: string;
  id: string;
  pid: number;
  lab: string;
  node: string;
}

export async function resolveTarget(docker: DockerClient, name: string, lab?: string): Promise<NodeTarget> {
  let container = name;
  if (lab) {
    const all = await listLabContainers(docker, lab);
    if (!all.length) throw new LabError("not-found", `lab ${lab} is not deployed`, { hint: "Run lab inspect --all" });
    const found = all.find((c) => c.node === name || c.name === name);
    if (!found) {
      const near = closest(
        name,
        all.map((c) => c.node),
      );
      throw new LabError("usage", `node ${name} is not in lab ${lab}`, {
        hint: near ? `did you mean "${near}"?` : `its nodes: ${all.map((c) => c.node).join(", ")}`,
      });
    }
    container = found.name;
  }
  const info = await docker.containers.find(container);
  if (!info)
    throw new LabError("not-found", `no container named ${container}`, {
      hint: lab ? undefined : "Give the container name (clab-<lab>-<node>), or the lab with -t FILE / --name LAB",
    });
  const labels = info.Config.Labels ?? {};
  // A card of a distributed chassis acts for its root node, the name topology links use.
  const node = labels["clab-root-node-name"] || (labels["clab-node-name"] ?? container);
  if (!info.State.Running)
    throw new LabError("conflict", `node ${node} (${container}) is not running (${info.State.Status})`, {
      hint: labels.containerlab
        ? `Start it first: lab start --name ${labels.containerlab} -n ${node}`
        : "Start it first",
    });
  return { container, id: info.Id, pid: info.State.Pid, lab: labels.containerlab ?? "", node };
}

/** The interface's Linux name in the node; an unknown one is an error listing the node's interfaces. */
export async function resolveInterface(platform: Platform, target: NodeTarget, iface: string): Promise<string> {
  for (const candidate of new Set([iface, iface.replaceAll(/[/ ]/g, "-")])) {
    const r = await platform.run(inNetns({ pid: target.pid }, "ip", "-j", "link", "show", "dev", candidate));
    if (r.code === 0) {
      const [link] = JSON.parse(new TextDecoder().decode(r.stdout)) as { ifname: string }[];
      if (link) return link.ifname;
    }
  }
  const have = (await listInterfaces(platform, { pid: target.pid })).map((i) =>
    i.alias ? `${i.name} (${i.alias})` : i.name,
  );
  throw new LabError("usage", `node ${target.node} has no interface ${iface}`, {
    hint: `its interfaces: ${have.join(", ") || "none but lo"}`,
  });
}
