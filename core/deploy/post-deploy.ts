import { connect } from "node:net";
import type { DockerClient } from "../../runtime/docker/index.ts";
import type { Platform } from "../../runtime/platform/index.ts";
import { LabError } from "../errors.ts";
import type { PostDeployContext, RunningNode } from "../kinds/index.ts";
import { sleep } from "../sleep.ts";
import { netconfSession, sshCliSession } from "../ssh/netconf.ts";
import type { LabModel, NodeModel } from "../topology/index.ts";
import { firstHost } from "../topology/node-data.ts";
import { type ContainerStep, type DeployPlan, netnsContainer } from "./plan.ts";
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

/** The node as it runs: the engine's management addresses, its link ends, certificate and peers. */
export async function runningNode(
  node: NodeModel,
  lab: LabModel,
  docker: DockerClient,
  extra: { sshKeys?: RunningNode["sshKeys"]; tls?: RunningNode["tls"]; peers?: RunningNode["peers"] } = {},
): Promise<RunningNode> {
  // A distributed chassis's address is on the container holding its namespace.
  const info = await docker.containers.inspect(netnsContainer(node));
  const nets = info.NetworkSettings.Networks ?? {};
  const net = nets[lab.mgmt.network] ?? Object.values(nets)[0];
  const withLen = (addr: string | undefined, len: number | undefined) => (addr ? `${addr}/${len ?? 0}` : undefined);
  const interfaces: NonNullable<RunningNode["interfaces"]> = [];
  for (const l of lab.links) {
    const ends = l.type === "veth" || l.type === "veth-stitch" ? [l.a, l.b] : "endpoint" in l ? [l.endpoint] : [];
    for (const ep of ends)
      if (ep.node === node.name)
        interfaces.push({ iface: ep.iface, mtu: "mtu" in l && l.mtu ? l.mtu : 0, ipv4: ep.ipv4, ipv6: ep.ipv6 });
  }
  return {
    name: node.name,
    mgmtIpv4: withLen(net?.IPAddress, net?.IPPrefixLen),
    mgmtIpv6: withLen(net?.GlobalIPv6Address, net?.GlobalIPv6PrefixLen),
    mgmtIntf: node.mgmtIntf,
    links: interfaces.filter((i) => i.ipv4 || i.ipv6).map(({ iface, ipv4, ipv6 }) => ({ iface, ipv4, ipv6 })),
    interfaces,
    licensed: !!node.license,
    sshKeys: extra.sshKeys ?? [],
    username: node.credentials.username ?? node.kind.credentials?.username,
    password: node.credentials.password ?? node.kind.credentials?.password,
    tls: extra.tls,
    cliConfig: node.startupCli,
    dns: node.dns?.servers,
    mgmtMtu: lab.mgmt.mtu ?? 0,
    peers: extra.peers ?? [],
    type: node.type,
    gateways: {
      ipv4: lab.mgmt.ipv4Gw ?? firstHost(lab.mgmt.ipv4Subnet),
      ipv6: lab.mgmt.ipv6Gw ?? firstHost(lab.mgmt.ipv6Subnet),
    },
    rawConfig: node.startupRaw,
    env: node.env,
    fullStartupConfig: !!node.startupConfig?.origin && !node.startupConfig.origin.includes(".partial"),
    firstBoot: node.firstBoot,
    distributed: !!node.components,
  };
}

/** The lab's nodes with the management addresses the engine gave them, for NOS hosts files. */
async function peersOf(lab: LabModel, dockerOf: (node: string) => DockerClient): Promise<RunningNode["peers"]> {
  const out: NonNullable<RunningNode["peers"]> = [];
  for (const n of lab.nodes) {
    if (n.kind.role !== "container") continue;
    const info = await dockerOf(n.name)
      .containers.inspect(netnsContainer(n))
      .catch(() => undefined);
    const net =
      info &&
      (info.NetworkSettings.Networks?.[lab.mgmt.network] ?? Object.values(info.NetworkSettings.Networks ?? {})[0]);
    out.push({ name: n.name, ipv4: net?.IPAddress || undefined, ipv6: net?.GlobalIPv6Address || undefined });
  }
  return out;
}

/** One TCP connection attempt (1 s), as Containerlab's CheckPortWithRetry dials. */
function tcpOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 1000 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once("connect", () => done(true));
    socket.once("timeout", () => done(false));
    socket.once("error", () => done(false));
  });
}

/** The node's image lacks the program: not worth retrying. */
class CannotRun extends Error {}

/** What a kind's post-deploy code gets: its container and its node dir, on the node's host. */
function contextFor(
  node: NodeModel,
  running: RunningNode,
  container: string,
  docker: DockerClient,
  platform: Platform,
  reporter: Reporter,
  options: { signal: AbortSignal; deadline: number; hostEnv?: (name: string) => string | undefined },
): PostDeployContext {
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  const inDir = (path: string) => `${node.nodeDir}/${path}`;
  const mgmt = (running.mgmtIpv4 ?? running.mgmtIpv6 ?? "").split("/")[0] as string;
  const login = () => ({ host: mgmt, username: running.username ?? "admin", password: running.password ?? "" });
  return {
    node: running,
    async exec(cmd) {
      const r = await docker.exec.run(container, cmd);
      // 126/127: the runtime could not run it at all; no amount of waiting brings the program.
      if (r.exitCode === 126 || r.exitCode === 127)
        throw new CannotRun(`the container cannot run ${cmd[0]} (is ${node.image} a ${node.kind.name} image?)`);
      return { code: r.exitCode, stdout: decode(r.stdout), stderr: decode(r.stderr) };
    },
    async health() {
      const h = (await docker.containers.inspect(container)).State.Health?.Status;
      return h === "healthy" || h === "unhealthy" || h === "starting" ? h : "none";
    },
    cli(lines) {
      if (!mgmt) return Promise.reject(new Error("the node has no management address to reach its CLI on"));
      return sshCliSession(login(), lines);
    },
    netconf(rpcs) {
      if (!mgmt) return Promise.reject(new Error("the node has no management address to reach NETCONF on"));
      return netconfSession(login(), rpcs);
    },
    portOpen: (port) => (mgmt ? tcpOpen(mgmt, port) : Promise.resolve(false)),
    console: (text) => docker.containers.writeStdin(container, new TextEncoder().encode(text)),
    sleep: (ms) => sleep(ms, options.signal),
    followLog(onLine) {
      const stop = new AbortController();
      const end = () => stop.abort();
      options.signal.addEventListener("abort", end, { once: true });
      docker.containers.followLog(container, onLine, stop.signal).catch(() => {});
      return () => {
        options.signal.removeEventListener("abort", end);
        stop.abort();
      };
    },
    async waitUntil(check) {
      while (!options.signal.aborted && Date.now() < options.deadline) {
        const ok = await check().catch((error) => {
          if (error instanceof CannotRun) throw error;
          return false;
        });
        if (ok) return true;
        await sleep(1000, options.signal);
      }
      return false;
    },
    async writeFile(path, text, mode = 0o644) {
      const r = await platform.run(
        [
          "sh",
          "-c",
          'mkdir -p "$(dirname "$1")" && cat > "$1" && chmod "$2" "$1"',
          "sh",
          inDir(path),
          mode.toString(8),
        ],
        { stdin: text },
      );
      if (r.code !== 0) throw new LabError("remote", `cannot write ${inDir(path)}: ${decode(r.stderr).trim()}`);
    },
    async removeFile(path) {
      await platform.run(["rm", "-f", inDir(path)]);
    },
    async fileExists(path) {
      return (await platform.run(["test", "-e", inDir(path)])).code === 0;
    },
    info: (message) => reporter.info(`node ${node.name}: ${message}`),
    warn: (message) => reporter.warn(`node ${node.name}: ${message}`),
    hostEnv: (name) => options.hostEnv?.(name),
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
    /** Each node's certificate, when it has one. */
    tlsOf?: (node: string) => RunningNode["tls"];
    /** The environment lab runs in. */
    hostEnv?: (name: string) => string | undefined;
  },
  options: { workers: number; signal: AbortSignal; timeoutMs: number },
): Promise<PostDeployOutcome[]> {
  const nodeOf = (c: ContainerStep) => lab.nodes.find((n) => n.name === c.node) as NodeModel;
  const steps = plan.containers.filter((c) => nodeOf(c).kind.postDeploy);
  // The lab's addresses are read once for every node that wants them, not once per such node.
  let peers: Promise<RunningNode["peers"]> | undefined;
  const lazyPeers = () => {
    peers ??= peersOf(lab, deps.dockerOf);
    return peers;
  };
  return mapLimit(steps, options.workers, async (c) => {
    const node = nodeOf(c);
    const post = node.kind.postDeploy as NonNullable<NodeModel["kind"]["postDeploy"]>;
    const docker = deps.dockerOf(node.name);
    const running = await runningNode(node, lab, docker, {
      sshKeys: deps.sshKeys,
      tls: deps.tlsOf?.(node.name),
      peers: post.run ? await lazyPeers() : undefined,
    });
    const deadline = Date.now() + options.timeoutMs;
    const ctx = contextFor(node, running, c.name, docker, deps.platformOf(node.name), deps.reporter, {
      signal: options.signal,
      deadline,
      hostEnv: deps.hostEnv,
    });
    // Files first: on the node's own host, where its node dir is bound from.
    for (const f of post.files?.(running) ?? [])
      await ctx
        .writeFile(f.path, f.text, f.mode)
        .catch((error: Error) => deps.reporter.warn(`node ${node.name}: ${error.message}`));
    const outcome: PostDeployOutcome = { node: node.name, what: post.what, ok: false, attempts: 0 };
    try {
      for (const cmd of post.detached ?? []) await docker.exec.detach(c.name, cmd);
    } catch (error) {
      // An image without the program: the node stays up without it, as for any post-deploy step.
      outcome.error = (error as Error).message;
      deps.reporter.warn(`node ${node.name}: ${post.what} not started: ${outcome.error}; the node is up without it`);
      return outcome;
    }
    if (post.run) {
      outcome.attempts = 1;
      try {
        await post.run(ctx);
        deps.reporter.success(`node ${node.name}: ${post.what} configured`);
        return { ...outcome, ok: true };
      } catch (error) {
        outcome.error = (error as Error).message;
        deps.reporter.warn(
          `node ${node.name}: ${post.what} not configured: ${outcome.error}; the node is up without it`,
        );
        return outcome;
      }
    }
    const command = post.command?.(running);
    if (!command) {
      deps.reporter.success(`node ${node.name}: ${post.what} ${post.detached ? "started" : "written"}`);
      return { ...outcome, ok: true };
    }
    deps.reporter.info(`node ${node.name}: pushing ${post.what} (${command[0]}) once it answers`);
    // Bounded: one attempt every 2 s until the deadline.
    while (!options.signal.aborted) {
      outcome.attempts++;
      let r: Awaited<ReturnType<PostDeployContext["exec"]>>;
      try {
        r = await ctx.exec(command);
      } catch (error) {
        if (!(error instanceof CannotRun)) throw error;
        deps.reporter.warn(`node ${node.name}: ${post.what} not configured: ${error.message}`);
        return { ...outcome, error: error.message };
      }
      if (r.code === 0) {
        deps.reporter.success(`node ${node.name}: ${post.what} configured`);
        return { ...outcome, ok: true, error: undefined };
      }
      outcome.error = r.stderr.trim().split("\n")[0] || `exit code ${r.code}`;
      if (Date.now() + 2000 > deadline) break;
      await sleep(2000, options.signal);
    }
    deps.reporter.warn(
      `node ${node.name}: ${post.what} not configured: ${command[0]} kept failing for ${Math.round(options.timeoutMs / 1000)}s (${outcome.error}); the node is up without it`,
    );
    return outcome;
  });
}
