import type { DockerClient } from "../../runtime/docker/index.ts";
import type { ContainerCreateSpec } from "../../runtime/docker/types.ts";
import { linkNetns, makeBridgeIn } from "../../runtime/net/ip.ts";
import { issueNodeCertificate } from "../cert/issue.ts";
import { LabError } from "../errors.ts";
import { LOCAL } from "../hosts/definitions.ts";
import type { LabModel, NodeModel } from "../topology/index.ts";
import {
  copyImageFiles,
  placeStartupConfig,
  shipNodeFiles,
  writeInitConfig,
  writeNodeFile,
  writeTlsFiles,
} from "./node-files.ts";
import { bridgesHostedBy, type ContainerStep, netnsContainer } from "./plan.ts";
import type { Reporter } from "./reporter.ts";
import { type HostRun, hostOfNode, pause, type RunContext } from "./run-context.ts";
import { runStageHooks } from "./stage-hooks.ts";
import { disableMgmtTxOffload } from "./tx-offload.ts";

// One node's container, as Containerlab's create stage makes it: what it waits for, its files,
// its image checked, created and started (a chassis's cards first), then what needs it running
// (its namespace named, bridges inside it, its certificate's addresses).

/** Waits for `wait-for` stages that are more than "created": healthy or exited (on the other node's host). */
async function waitForStages(
  node: NodeModel,
  lab: LabModel,
  dockerOf: (node: string) => DockerClient,
  signal: AbortSignal,
): Promise<void> {
  for (const w of node.waitFor) {
    if (w.stage !== "healthy" && w.stage !== "exit") continue;
    const target = lab.nodes.find((n) => n.name === w.node);
    if (!target) continue;
    const deadline = Date.now() + 300_000;
    for (;;) {
      const state = (await dockerOf(target.name).containers.inspect(target.longName)).State;
      if (w.stage === "healthy" && state.Health?.Status === "healthy") break;
      if (w.stage === "exit" && !state.Running) break;
      if (w.stage === "healthy" && !state.Health) {
        throw new LabError(
          "input",
          `node ${node.name} waits for ${w.node} to be healthy, but ${w.node} has no healthcheck`,
        );
      }
      if (Date.now() > deadline)
        throw new LabError("engine", `node ${node.name}: ${w.node} did not become ${w.stage} within 5 minutes`);
      await pause(1000, signal);
    }
  }
}

/** The kind's check of the node's image, by its labels: an error stops the deploy, a warning is said. */
async function checkImage(node: NodeModel, image: string, docker: DockerClient, reporter: Reporter) {
  if (!node.kind.imageCheck) return;
  const labels = (await docker.images.inspect(image)).Config?.Labels ?? {};
  const verdict = node.kind.imageCheck(labels);
  if (verdict && "error" in verdict)
    throw new LabError("usage", `node ${node.name} (image ${image}): ${verdict.error}`);
  if (verdict) reporter.warn(`node ${node.name}: ${verdict.warning}`);
}

/** Creates and starts one container, recording it (and its namespace) for rollback and links. */
async function startContainer(
  node: string,
  name: string,
  spec: ContainerCreateSpec,
  run: HostRun,
  beforeStart?: (id: string) => Promise<void>,
) {
  const { host, created } = run;
  // Containerlab labels every node with its management bridge (core/network.go); its firewall
  // checks and users' scripts read it.
  const bridge = created.network?.bridge;
  const labelled = bridge ? { ...spec, Labels: { ...spec.Labels, "clab-mgmt-net-bridge": bridge } } : spec;
  const { Id } = await host.docker.containers.create(name, labelled);
  created.containers.push({ id: Id, name });
  await beforeStart?.(Id);
  try {
    await host.docker.containers.start(Id);
  } catch (error) {
    if (error instanceof LabError && /port is already allocated|address already in use/i.test(error.message)) {
      throw new LabError(
        "conflict",
        `node ${node}${host.name === LOCAL ? "" : ` (on ${host.name})`}: a host port is already in use: ${error.message}`,
        { hint: "Pick another host port in ports:" },
      );
    }
    throw error;
  }
  const info = await host.docker.containers.inspect(Id);
  if (info.State.Pid) {
    await linkNetns(host.platform, info.State.Pid, name);
    created.netns.push(name);
    created.pids.set(name, info.State.Pid);
  }
  return info;
}

export async function createContainer(
  step: ContainerStep,
  lab: LabModel,
  run: HostRun,
  ctx: RunContext,
  signal: AbortSignal,
) {
  const { host } = run;
  const { reporter, certs } = ctx;
  const node = lab.nodes.find((n) => n.name === step.node) as NodeModel;
  const hooks = ctx.hooksOf(step.node);
  await waitForStages(node, lab, (name) => hostOfNode(lab, ctx.hosts, name).docker, signal);
  if (step.startupDelay > 0) {
    reporter.info(`node ${step.node}: waiting ${step.startupDelay}s (startup-delay)`);
    await pause(step.startupDelay * 1000, signal);
  }
  if (signal.aborted) throw new LabError("interrupted", "interrupted");
  await runStageHooks(node, "create", "on-enter", hooks);
  for (const f of step.files) await writeNodeFile(f);
  await writeTlsFiles(node, certs.tls.get(node.name));
  await writeInitConfig(node, ctx.hosts.local.platform);
  if (step.startupConfig) await placeStartupConfig(node, lab, step.startupConfig, reporter, certs.tls.get(node.name));
  if (host.name !== LOCAL) await shipNodeFiles(step, lab, ctx.hosts.local.platform, host);
  await checkImage(node, step.image, host.docker, ctx.reporter);
  // A distributed chassis's cards first, the one holding the network namespace before the rest.
  for (const c of step.components ?? []) await startContainer(step.node, c.name, c.spec, run);
  const info = await startContainer(step.node, step.name, step.spec, run, (id) =>
    copyImageFiles(node, id, host.docker, ctx.reporter),
  );
  const owner = run.created.pids.get(netnsContainer(node));
  const onMgmt = !node.networkMode || node.networkMode === lab.mgmt.network;
  if (node.kind.mgmtTxOffloadOff && owner && onMgmt)
    await disableMgmtTxOffload(host.platform, owner, `node ${node.name}`, ctx.reporter, node.kind.mgmtTxOffloadOff);
  reporter.debug(`node ${step.node}: container ${step.name} started${host.name === LOCAL ? "" : ` on ${host.name}`}`);
  // Bridge nodes in this node's namespace (`br01|bp1`), made as Containerlab's bridge Deploy does.
  for (const bridge of bridgesHostedBy(node, lab)) await makeBridgeIn(host.platform, netnsContainer(node), bridge);
  // Addresses the engine gave the node at start join its certificate's SANs.
  if (certs.ca && certs.tls.has(node.name)) {
    const net = Object.values(info.NetworkSettings.Networks ?? {})[0];
    const addresses = [net?.IPAddress, net?.GlobalIPv6Address].filter((a): a is string => !!a);
    certs.tls.set(node.name, await issueNodeCertificate(lab, node, certs.ca, addresses));
    await writeTlsFiles(node, certs.tls.get(node.name));
  }
  await ctx.afterStart?.(step);
  await runStageHooks(node, "create", "on-exit", hooks);
}
