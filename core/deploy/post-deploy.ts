import type { DockerClient } from "../../runtime/docker/index.ts";
import type { Platform } from "../../runtime/platform/index.ts";
import type { RunningNode } from "../kinds/index.ts";
import type { LabModel, NodeModel } from "../topology/index.ts";
import type { ContainerStep, DeployPlan } from "./plan.ts";
import { mapLimit } from "./pool.ts";
import type { Reporter } from "./reporter.ts";

// Containerlab's PostDeploy for kinds that configure the NOS once it runs (cEOS: management and link
// addresses through its CLI). The NOS may still be booting when its container is up, so the command
// is retried until it succeeds, within a bounded wait; a node that never answers is one warning and
// the lab stays up, as Containerlab logs and carries on.

export interface PostDeployOutcome {
  node: string;
  what: string;
  ok: boolean;
  attempts: number;
  /** Why it failed the last time (stderr's first line, or the exit code). */
  error?: string;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
  });

/** The node as it runs: the engine's management addresses and the addressed link ends. */
export async function runningNode(
  node: NodeModel,
  lab: LabModel,
  docker: DockerClient,
  sshKeys: RunningNode["sshKeys"] = [],
): Promise<RunningNode> {
  const info = await docker.containers.inspect(node.longName);
  const nets = info.NetworkSettings.Networks ?? {};
  const net = nets[lab.mgmt.network] ?? Object.values(nets)[0];
  const withLen = (addr: string | undefined, len: number | undefined) => (addr ? `${addr}/${len ?? 0}` : undefined);
  const links: RunningNode["links"] = [];
  for (const l of lab.links) {
    const ends = l.type === "veth" || l.type === "veth-stitch" ? [l.a, l.b] : "endpoint" in l ? [l.endpoint] : [];
    for (const ep of ends)
      if (ep.node === node.name && (ep.ipv4 || ep.ipv6)) links.push({ iface: ep.iface, ipv4: ep.ipv4, ipv6: ep.ipv6 });
  }
  return {
    name: node.name,
    mgmtIpv4: withLen(net?.IPAddress, net?.IPPrefixLen),
    mgmtIpv6: withLen(net?.GlobalIPv6Address, net?.GlobalIPv6PrefixLen),
    mgmtIntf: node.mgmtIntf,
    links,
    licensed: !!node.license,
    sshKeys,
    username: node.credentials.username ?? node.kind.credentials?.username,
  };
}

/** Runs each planned node's post-deploy step, nodes in parallel. */
export async function runPostDeploy(
  lab: LabModel,
  plan: DeployPlan,
  deps: {
    dockerOf: (node: string) => DockerClient;
    platformOf: (node: string) => Platform;
    reporter: Reporter;
    /** The deploying user's SSH public keys. */
    sshKeys?: RunningNode["sshKeys"];
  },
  options: { workers: number; signal: AbortSignal; timeoutMs: number },
): Promise<PostDeployOutcome[]> {
  const nodeOf = (c: ContainerStep) => lab.nodes.find((n) => n.name === c.node) as NodeModel;
  const steps = plan.containers.filter((c) => nodeOf(c).kind.postDeploy);
  return mapLimit(steps, options.workers, async (c) => {
    const node = nodeOf(c);
    const post = node.kind.postDeploy as NonNullable<NodeModel["kind"]["postDeploy"]>;
    const docker = deps.dockerOf(node.name);
    const running = await runningNode(node, lab, docker, deps.sshKeys);
    // Files first: on the node's own host, where its node dir is bound from.
    for (const f of post.files?.(running) ?? []) {
      const path = `${node.nodeDir}/${f.path}`;
      const r = await deps
        .platformOf(node.name)
        .run(
          [
            "sh",
            "-c",
            'mkdir -p "${1%/*}" && cat > "$1" && chmod "$2" "$1"',
            "sh",
            path,
            (f.mode ?? 0o644).toString(8),
          ],
          { stdin: f.text },
        );
      if (r.code !== 0)
        deps.reporter.warn(`node ${node.name}: cannot write ${path}: ${new TextDecoder().decode(r.stderr).trim()}`);
    }
    for (const cmd of post.detached ?? []) await docker.exec.detach(c.name, cmd);
    const command = post.command?.(running);
    const outcome: PostDeployOutcome = { node: node.name, what: post.what, ok: false, attempts: 0 };
    if (!command) {
      deps.reporter.success(`node ${node.name}: ${post.what} ${post.detached ? "started" : "written"}`);
      return { ...outcome, ok: true };
    }
    deps.reporter.info(`node ${node.name}: pushing ${post.what} (${command[0]}) once it answers`);
    const deadline = Date.now() + options.timeoutMs;
    // Bounded: one attempt every 2 s until the deadline.
    while (!options.signal.aborted) {
      outcome.attempts++;
      const r = await docker.exec.run(c.name, command);
      if (r.exitCode === 0) {
        deps.reporter.success(`node ${node.name}: ${post.what} configured`);
        return { ...outcome, ok: true, error: undefined };
      }
      const stderr = new TextDecoder().decode(r.stderr).trim().split("\n")[0];
      outcome.error = stderr || `exit code ${r.exitCode}`;
      // 126/127: the runtime could not run it at all; no amount of waiting brings the program.
      if (r.exitCode === 126 || r.exitCode === 127) {
        deps.reporter.warn(
          `node ${node.name}: ${post.what} not configured: the container cannot run ${command[0]} (is ${node.image} a ${node.kind.name} image?)`,
        );
        return outcome;
      }
      if (Date.now() + 2000 > deadline) break;
      await sleep(2000, options.signal);
    }
    deps.reporter.warn(
      `node ${node.name}: ${post.what} not configured: ${command[0]} kept failing for ${Math.round(options.timeoutMs / 1000)}s (${outcome.error}); the node is up without it`,
    );
    return outcome;
  });
}
