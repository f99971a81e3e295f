import { inNetns, listInterfaces } from "../../runtime/net/ip.ts";
import { listOnHosts } from "../deploy/inspect.ts";
import { LabError } from "../errors.ts";
import type { Host, HostSet } from "../hosts/hosts.ts";
import { closest } from "../topology/closest.ts";
import { requireName } from "../topology/names.ts";

// The node a tools command acts on: a container name, as Containerlab's tools take it
// (-n clab-lab1-r1), or a node name of the lab named by -t / --name; and one of its interfaces,
// by its Linux name, an altname, or the NOS name it was written as (ethernet-1/1). The node may run on
// any host of a lab over several machines: the target carries that host, whose engine and commands
// the tool then uses.

export interface NodeTarget {
  container: string;
  id: string;
  pid: number;
  lab: string;
  node: string;
  /** The host the node runs on: its engine and its command runner. */
  host: Host;
}

/** The hosts a tool may find its nodes on: this machine, and a multi-host lab's other hosts. */
export interface ToolDeps {
  hosts: HostSet;
}

/** A node by container name (any host), or by node name in `lab` (its hosts). */
export async function resolveTarget(hosts: HostSet, name: string, lab?: string): Promise<NodeTarget> {
  requireName(lab ? "node" : "container", name, lab ? "node" : "container");
  if (!lab) {
    for (const h of hosts.all) {
      const target = await targetOn(h, name);
      if (target) return target;
    }
    throw new LabError("not-found", `no container named ${name}`, {
      hint: "Give the container name (clab-<lab>-<node>), or the lab with -t FILE / --name LAB",
    });
  }
  const all = await listOnHosts(hosts, lab);
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
  const target = await targetOn(hosts.get(found.host), found.name);
  if (!target) throw new LabError("not-found", `no container named ${found.name}`);
  return target;
}

/** The running container `container` on `host`; undefined when that host has no such container. */
export async function targetOn(host: Host, container: string): Promise<NodeTarget | undefined> {
  const info = await host.docker.containers.find(container);
  if (!info) return undefined;
  const labels = info.Config.Labels ?? {};
  // A card of a distributed chassis acts for its root node, the name topology links use.
  const node = labels["clab-root-node-name"] || (labels["clab-node-name"] ?? container);
  if (!info.State.Running)
    throw new LabError("conflict", `node ${node} (${container}) is not running (${info.State.Status})`, {
      hint: labels.containerlab
        ? `Start it first: lab start --name ${labels.containerlab} -n ${node}`
        : "Start it first",
    });
  return { container, id: info.Id, pid: info.State.Pid, lab: labels.containerlab ?? "", node, host };
}

/** The interface's Linux name in the node; an unknown one is an error listing the node's interfaces. */
export async function resolveInterface(target: NodeTarget, iface: string): Promise<string> {
  requireName("nos-interface", iface, "interface");
  const { platform } = target.host;
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
