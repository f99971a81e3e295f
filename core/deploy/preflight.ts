import { existsSync } from "node:fs";
import { createServer } from "node:net";
import type { DockerClient } from "../../runtime/docker/index.ts";
import { interfaceExists, isBridge } from "../../runtime/net/ip.ts";
import type { Platform } from "../../runtime/platform/index.ts";
import { LabError } from "../errors.ts";
import { LOCAL } from "../hosts/definitions.ts";
import type { LabModel, NodeModel } from "../topology/index.ts";
import { type DeployPlan, nsBridgeHost } from "./plan.ts";

/** TCP ports something listens on, on a remote host (ss over its SSH connection). */
async function listeningPorts(platform: Platform): Promise<Set<number>> {
  const r = await platform.run(["ss", "-Hltn"]);
  const out = new Set<number>();
  for (const line of new TextDecoder().decode(r.stdout).split("\n")) {
    const m = /:(\d+)$/.exec(line.trim().split(/\s+/)[3] ?? "");
    if (m) out.add(Number(m[1]));
  }
  return out;
}

function portFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ host: host || "0.0.0.0", port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * Everything that would make `lab up` fail halfway, checked before anything is created, and
 * reported together: the lab already running, names and host ports taken, missing images with
 * policy Never, KVM for VM kinds, host bridges and external containers that must exist.
 */
export async function preflight(
  lab: LabModel,
  plan: DeployPlan,
  docker: DockerClient,
  platform: Platform,
  // LAB_KVM_DEVICE lets tests stand in a host without KVM.
  kvmDevice = "/dev/kvm",
  apply: {
    /** Nodes an apply re-creates: their running containers and the host ports they hold are theirs. */
    replacing?: ReadonlySet<string>;
    /** Host interfaces an apply deletes before making links. */
    freed?: ReadonlySet<string>;
    /** A lab over several hosts: this host's share of the plan (checked against this host's engine). */
    only?: {
      host: string;
      containers: DeployPlan["containers"];
      links: DeployPlan["links"];
      images: DeployPlan["images"];
    };
  } = {},
): Promise<void> {
  const replacing = apply.replacing ?? new Set<string>();
  const share = apply.only;
  if (share) plan = { ...plan, containers: share.containers, links: share.links, images: share.images };
  const remote = share && share.host !== LOCAL ? share.host : undefined;
  const listening = remote ? await listeningPorts(platform) : undefined;
  const c: Check = {
    lab,
    plan,
    docker,
    platform,
    replacing,
    onThisHost: (node) => !share || (node.host?.name ?? LOCAL) === share.host,
    portTaken: async (ip, port) => (listening ? listening.has(port) : !(await portFree(ip, port))),
  };
  await docker.system.ping();
  const running = await docker.containers.list({ containerlab: lab.name });
  refuseRunning(c, running);
  const problems = [
    ...(await containerProblems(c, running, kvmDevice)),
    ...(await nodeProblems(c)),
    ...(await linkProblems(c, apply.freed)),
    ...(await imageProblems(c)),
  ];
  if (remote) problems.splice(0, problems.length, ...problems.map((p) => `host ${remote}: ${p}`));
  if (problems.length)
    throw new LabError(
      problems.some((p) => p.includes("in use") || p.includes("exists")) ? "conflict" : "input",
      problems.join("\n"),
    );
}

interface Check {
  lab: LabModel;
  plan: DeployPlan;
  docker: DockerClient;
  platform: Platform;
  replacing: ReadonlySet<string>;
  onThisHost(node: NodeModel): boolean;
  portTaken(ip: string, port: number): Promise<boolean>;
}

type Running = Awaited<ReturnType<DockerClient["containers"]["list"]>>;

/** The lab is not running (or, for a partial deploy, none of the nodes it makes are). */
function refuseRunning({ lab, plan, replacing }: Check, running: Running): void {
  if (plan.partial) {
    // Some nodes of a lab that may be running: only those must not be.
    const mine = new Set(plan.containers.filter((c) => !replacing.has(c.node)).map((c) => c.name));
    const clash = running.flatMap((c) => c.Names.map((n) => n.replace(/^\//, ""))).filter((n) => mine.has(n));
    if (clash.length)
      throw new LabError("conflict", `${clash.join(", ")} ${clash.length > 1 ? "are" : "is"} already running`, {
        hint: "Add --reconfigure to re-create them, or lab down --node-filter first",
      });
  } else if (running.length) {
    throw new LabError(
      "conflict",
      `lab ${lab.name} is already deployed (${running.length} container${running.length > 1 ? "s" : ""})`,
      {
        hint: `Run lab down -t ${lab.file === "<stdin>" ? "FILE" : lab.file} first, or lab up --reconfigure to redeploy`,
      },
    );
  }
}

/** Container names free (of containers outside this lab), and KVM for VM kinds. */
async function containerProblems({ plan, docker }: Check, running: Running, kvmDevice: string): Promise<string[]> {
  const problems: string[] = [];
  const ours = new Set(running.map((c) => c.Id));
  const names = new Set(
    (await docker.containers.list())
      .filter((c) => !ours.has(c.Id))
      .flatMap((c) => c.Names.map((n) => n.replace(/^\//, ""))),
  );
  for (const c of plan.containers) {
    if (names.has(c.name))
      problems.push(
        `node ${c.node}: a container named ${c.name} already exists (not part of this lab); remove it or change the lab name or prefix`,
      );
    if (c.vm && !existsSync(kvmDevice))
      problems.push(
        `node ${c.node} (kind ${c.kind}) runs a VM and needs ${kvmDevice}, which this host does not have; enable KVM (or nested virtualization)`,
      );
  }
  return problems;
}

/** Per node on this host: host ports free, host bridges and external containers there, network-mode targets. */
async function nodeProblems(c: Check): Promise<string[]> {
  const { lab, plan, docker, platform, replacing } = c;
  const problems: string[] = [];
  const planned = new Set(plan.containers.map((x) => x.node));
  for (const node of lab.nodes) {
    if (!c.onThisHost(node)) continue;
    // Running nodes of a partial deploy hold their own ports.
    if (plan.partial && node.kind.role === "container" && (!planned.has(node.name) || replacing.has(node.name)))
      continue;
    for (const p of node.ports) {
      if (!/^\d+$/.test(p.hostPort) || p.protocol !== "tcp") continue;
      if (await c.portTaken(p.hostIp, Number(p.hostPort)))
        problems.push(
          `node ${node.name}: host port ${p.hostIp ? `${p.hostIp}:` : ""}${p.hostPort}/tcp (ports) is already in use; pick another host port`,
        );
    }
    if (node.kind.role === "bridge" && !nsBridgeHost(node, lab) && !(await isBridge(platform, node.name)))
      problems.push(
        `node ${node.name} (kind bridge) names a host bridge that does not exist; create it first (ip link add ${node.name} type bridge)`,
      );
    if (node.kind.role === "external") {
      const found = await docker.containers.find(node.name);
      if (!found?.State.Running)
        problems.push(`node ${node.name} (kind ext-container) needs a running container named ${node.name}`);
    }
    const target = node.networkMode?.startsWith("container:") ? node.networkMode.slice(10) : undefined;
    if (target && !lab.nodes.some((n) => n.name === target) && !(await docker.containers.find(target)))
      problems.push(`node ${node.name}: network-mode container:${target} names no lab node and no existing container`);
  }
  return problems;
}

/**
 * Host-side ends are made under the names written (bridge ports, host links): one that exists
 * already would fail halfway, as Containerlab's CheckEndpointDoesNotExistYet says up front.
 */
async function linkProblems({ plan, platform }: Check, freed: ReadonlySet<string> | undefined): Promise<string[]> {
  const problems: string[] = [];
  for (const link of plan.links) {
    const names = [link.a, link.b].flatMap((p) => (p?.where === "host" ? [p.iface] : []));
    if (link.type === "vxlan-stitch" && link.vxlan) names.push(link.vxlan.name);
    if (link.parent && !(await interfaceExists(platform, link.parent)))
      problems.push(`link ${link.label}: the parent interface ${link.parent} does not exist on this host`);
    for (const name of names)
      if ((await interfaceExists(platform, name)) && !freed?.has(name))
        problems.push(
          `link ${link.label}: host interface ${name} already exists; remove it (ip link del ${name}) or pick another name`,
        );
  }
  return problems;
}

/** Images with pull policy Never are in the engine already. */
async function imageProblems({ plan, docker }: Check): Promise<string[]> {
  const problems: string[] = [];
  for (const img of plan.images)
    if (img.policy === "Never" && !(await docker.images.find(img.image)))
      problems.push(
        `image ${img.image} is not in the engine and image-pull-policy is Never (node ${img.nodes.join(", ")}); pull or build it first`,
      );
  return problems;
}
