import { existsSync } from "node:fs";
import { chmod, copyFile, mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { DockerClient } from "../../runtime/docker/index.ts";
import { disallowBridge, forwardLldp } from "../../runtime/net/firewall.ts";
import { deleteInterfaces, dummySupported, interfacesWithAlias, linkNetns, unlinkNetns } from "../../runtime/net/ip.ts";
import type { Platform } from "../../runtime/platform/index.ts";
import { issueCertificates, issueNodeCertificate, type NodeTls, tlsDir } from "../cert/issue.ts";
import type { CertificatePem } from "../cert/x509.ts";
import { LabError } from "../errors.ts";
import { renderTemplate } from "../gotemplate/index.ts";
import type { LabModel, NodeFile, NodeModel, StartupConfig } from "../topology/index.ts";
import { nodeConfigData } from "../topology/node-data.ts";
import { shellSplit } from "../topology/units.ts";
import { sshConfig, toJson, topologyData, writeHostsBlock, writeSshConfig } from "./artifacts.ts";
import { ensureImages } from "./images.ts";
import { type LabContainer, listLabContainers } from "./inspect.ts";
import { ansibleInventory, nornirInventory } from "./inventory.ts";
import { runLinkBatches, vxlanRoutes } from "./link-run.ts";
import { type LinkContext, linkBatches } from "./links.ts";
import { StagedLinks } from "./links-staged.ts";
import { ensureNetwork, type MgmtNetwork, prepareBridge } from "./network.ts";
import { type ContainerStep, type DeployPlan, ownedBy } from "./plan.ts";
import { mapLimit, runWithDependencies } from "./pool.ts";
import { preflight } from "./preflight.ts";
import type { Reporter } from "./reporter.ts";
import { hasHooks, runStageHooks } from "./stage-hooks.ts";
import { readState, stateFromPlan, writeState } from "./state.ts";
import { disableTxOffload } from "./tx-offload.ts";

export interface DeployOptions {
  maxWorkers: number;
  signal: AbortSignal;
  kvmDevice?: string;
  /** Runs once a container is up, before its links are made (apply puts parked link ends back here). */
  afterStart?: (step: ContainerStep) => Promise<void>;
}

export interface ExecOutcome {
  node: string;
  command: string;
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface DeployResult {
  containers: LabContainer[];
  exec: ExecOutcome[];
}

interface Created {
  containers: { id: string; name: string }[];
  network?: MgmtNetwork;
  netns: string[];
  /** Container name → init pid, recorded at start so links need no second inspect. */
  pids: Map<string, number>;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(t);
        reject(new LabError("interrupted", "interrupted"));
      },
      { once: true },
    );
  });

/** Waits for `wait-for` stages that are more than "created": healthy or exited. */
async function waitForStages(node: NodeModel, lab: LabModel, docker: DockerClient, signal: AbortSignal): Promise<void> {
  for (const w of node.waitFor) {
    if (w.stage !== "healthy" && w.stage !== "exit") continue;
    const target = lab.nodes.find((n) => n.name === w.node);
    if (!target) continue;
    const deadline = Date.now() + 300_000;
    for (;;) {
      const state = (await docker.containers.inspect(target.longName)).State;
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
      await sleep(1000, signal);
    }
  }
}

/** Writes (or copies) a file into the node dir; a `keep` file already there stays. False when kept. */
async function writeNodeFile(file: NodeFile): Promise<boolean> {
  if (file.keep && existsSync(file.path)) return false;
  await mkdir(dirname(file.path), { recursive: true });
  if (file.source) await copyFile(file.source, file.path);
  else await writeFile(file.path, file.text ?? "", { mode: file.mode });
  // The umask may have narrowed the mode; scripts must stay executable.
  if (file.mode !== undefined) await chmod(file.path, file.mode);
  return true;
}

/**
 * Puts the startup-config where the kind boots from. One already there (saved by the node, or
 * edited by hand) is kept unless enforce-startup-config, as Containerlab does.
 */
async function placeStartupConfig(
  node: NodeModel,
  lab: LabModel,
  config: StartupConfig,
  reporter: Reporter,
  tls: NodeTls | undefined,
): Promise<void> {
  // A template that reads the node's certificate is rendered again now that it exists.
  const rendered =
    tls && config.template
      ? renderTemplate(config.template, nodeConfigData(node, lab, tls), "startup-config")
      : config.text;
  const text = rendered === undefined || rendered.endsWith("\n") ? rendered : `${rendered}\n`;
  if (await writeNodeFile({ path: config.target, text, source: config.source, keep: !config.enforce }))
    reporter.debug(`node ${node.name}: startup-config placed at ${config.target}`);
  else reporter.info(`node ${node.name}: keeping ${config.target} (enforce-startup-config replaces it)`);
}

async function createContainer(
  step: ContainerStep,
  lab: LabModel,
  docker: DockerClient,
  created: Created,
  reporter: Reporter,
  signal: AbortSignal,
  hooks: { docker: DockerClient; platform: Platform; reporter: Reporter },
  certs: { ca?: CertificatePem; tls: Map<string, NodeTls> },
  afterStart?: DeployOptions["afterStart"],
) {
  const node = lab.nodes.find((n) => n.name === step.node) as NodeModel;
  await waitForStages(node, lab, docker, signal);
  if (step.startupDelay > 0) {
    reporter.info(`node ${step.node}: waiting ${step.startupDelay}s (startup-delay)`);
    await sleep(step.startupDelay * 1000, signal);
  }
  if (signal.aborted) throw new LabError("interrupted", "interrupted");
  await runStageHooks(node, "create", "on-enter", hooks);
  for (const f of step.files) await writeNodeFile(f);
  if (step.startupConfig) await placeStartupConfig(node, lab, step.startupConfig, reporter, certs.tls.get(node.name));
  const { Id } = await docker.containers.create(step.name, step.spec);
  created.containers.push({ id: Id, name: step.name });
  try {
    await docker.containers.start(Id);
  } catch (error) {
    if (error instanceof LabError && /port is already allocated|address already in use/i.test(error.message)) {
      throw new LabError("conflict", `node ${step.node}: a host port is already in use: ${error.message}`, {
        hint: "Pick another host port in ports:",
      });
    }
    throw error;
  }
  const info = await docker.containers.inspect(Id);
  if (info.State.Pid) {
    await linkNetns(hooks.platform, info.State.Pid, step.name);
    created.netns.push(step.name);
    created.pids.set(step.name, info.State.Pid);
  }
  reporter.debug(`node ${step.node}: container ${step.name} started`);
  // Addresses the engine gave the node at start join its certificate's SANs.
  if (certs.ca && certs.tls.has(node.name)) {
    const net = Object.values(info.NetworkSettings.Networks ?? {})[0];
    const addresses = [net?.IPAddress, net?.GlobalIPv6Address].filter((a): a is string => !!a);
    certs.tls.set(node.name, await issueNodeCertificate(lab, node, certs.ca, addresses));
  }
  await afterStart?.(step);
  await runStageHooks(node, "create", "on-exit", hooks);
}

/**
 * What link creation needs to know: every container's pid (those lab starts are recorded as they
 * start, into `known`; external and already running ones are inspected now), netns names, the
 * management bridge, and the underlay of vxlan tunnels.
 */
async function linkContext(
  plan: DeployPlan,
  docker: DockerClient,
  platform: Platform,
  network: MgmtNetwork | undefined,
  known: Map<string, number>,
  routes: Map<string, string>,
): Promise<LinkContext> {
  const starting = new Set(plan.containers.map((c) => c.name));
  const netns = new Map<string, string>();
  for (const l of plan.links) {
    for (const p of [l.a, l.b]) {
      if (p?.where !== "container") continue;
      netns.set(p.container, p.container);
      if (starting.has(p.container) || known.has(p.container)) continue;
      // An external (or already running) container: lab did not start it in this run.
      const info = await docker.containers.inspect(p.container);
      known.set(p.container, info.State.Pid);
      await linkNetns(platform, info.State.Pid, p.container);
    }
  }
  return {
    pids: known,
    netns,
    mgmtBridge: network?.bridge ?? "",
    dummy: plan.links.some((l) => l.type === "dummy") ? await dummySupported(platform) : true,
    routes,
  };
}

/** Waits (up to 5 minutes) for a node's healthcheck to pass; false when it has none or never does. */
async function becameHealthy(node: NodeModel, docker: DockerClient, signal: AbortSignal): Promise<boolean> {
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    const health = (await docker.containers.inspect(node.longName)).State.Health;
    if (!health) return false;
    if (health.Status === "healthy") return true;
    await sleep(1000, signal);
  }
  return false;
}

/**
 * The configure stage (stage hooks around each node's `exec:` commands), then the healthy stage's
 * hooks for nodes that have them: on-enter at once, on-exit once the healthcheck passes.
 */
async function runExec(
  lab: LabModel,
  plan: DeployPlan,
  deps: { docker: DockerClient; platform: Platform; reporter: Reporter },
  workers: number,
  signal: AbortSignal,
): Promise<ExecOutcome[]> {
  const { docker, reporter } = deps;
  const nodeOf = (c: ContainerStep) => lab.nodes.find((n) => n.name === c.node) as NodeModel;
  const staged = (stage: "configure" | "healthy") =>
    plan.containers.filter((c) => nodeOf(c).stageExec.some((h) => h.stage === stage));
  const withExec = plan.containers.filter(
    (c) => c.exec.length || nodeOf(c).stageExec.some((h) => h.stage === "configure"),
  );
  const results = await mapLimit(withExec, workers, async (c) => {
    const out: ExecOutcome[] = [];
    await runStageHooks(nodeOf(c), "configure", "on-enter", deps);
    for (const command of c.exec) {
      const r = await docker.exec.run(c.name, shellSplit(command));
      const outcome = {
        node: c.node,
        command,
        exitCode: r.exitCode,
        stdout: new TextDecoder().decode(r.stdout),
        stderr: new TextDecoder().decode(r.stderr),
      };
      out.push(outcome);
      if (r.exitCode !== 0)
        reporter.warn(
          `node ${c.node}: exec "${command}" failed with exit code ${r.exitCode}${outcome.stderr.trim() ? `: ${outcome.stderr.trim().split("\n")[0]}` : ""}`,
        );
      else
        reporter.info(
          `node ${c.node}: exec "${command}"${outcome.stdout.trim() ? `\n${outcome.stdout.trimEnd()}` : ""}`,
        );
    }
    await runStageHooks(nodeOf(c), "configure", "on-exit", deps);
    return out;
  });
  await mapLimit(staged("healthy"), workers, async (c) => {
    const node = nodeOf(c);
    await runStageHooks(node, "healthy", "on-enter", deps);
    if (await becameHealthy(node, docker, signal)) await runStageHooks(node, "healthy", "on-exit", deps);
    else
      reporter.warn(
        `node ${node.name}: never reported healthy (does it have a healthcheck?); its healthy on-exit hooks did not run`,
      );
  });
  return results.flat();
}

/** Removes what this run created, newest first; used on failure and on Ctrl-C. */
async function rollback(
  created: Created,
  plan: DeployPlan,
  deps: { docker: DockerClient; platform: Platform; reporter: Reporter },
): Promise<void> {
  const { docker, platform, reporter } = deps;
  reporter.warn("rolling back: removing what this run created");
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

/** Records what now runs, for the next apply; a partial deploy updates its nodes and links only. */
async function recordState(lab: LabModel, plan: DeployPlan): Promise<void> {
  const next = stateFromPlan(plan);
  const previous = plan.partial ? await readState(lab.labDir) : undefined;
  if (previous) {
    next.nodes = { ...previous.nodes, ...next.nodes };
    next.links = { ...previous.links, ...next.links };
  }
  await writeState(lab.labDir, next);
}

async function writeArtifacts(lab: LabModel, containers: LabContainer[], reporter: Reporter, platform: Platform) {
  await mkdir(lab.labDir, { recursive: true });
  await writeFile(`${lab.labDir}/topology-data.json`, `${toJson(topologyData(lab, containers))}\n`);
  await writeFile(`${lab.labDir}/ansible-inventory.yml`, ansibleInventory(lab, containers));
  await writeFile(
    `${lab.labDir}/nornir-simple-inventory.yml`,
    nornirInventory(lab, containers, platform.env("CLAB_NORNIR_PLATFORM_NAME_SCHEMA") ?? ""),
  );
  await writeHostsBlock(lab.name, containers).catch((e) =>
    reporter.warn(`cannot update /etc/hosts: ${(e as Error).message}`),
  );
  const users = Object.fromEntries(lab.nodes.map((n) => [n.name, n.credentials.username]));
  await writeSshConfig(lab.name, sshConfig(lab.name, containers, users)).catch((e) =>
    reporter.warn(`cannot write the ssh config: ${(e as Error).message}`),
  );
}

/**
 * Deploys a planned lab: preflight, images, lab dir, management network, containers in dependency
 * order on bounded workers, links in bulk, exec, then the hosts block, ssh config and lab-dir files.
 * Any failure or an abort removes what this run created.
 */
export async function deployLab(
  lab: LabModel,
  plan: DeployPlan,
  deps: { docker: DockerClient; platform: Platform; reporter: Reporter },
  options: DeployOptions,
): Promise<DeployResult> {
  const { docker, platform, reporter } = deps;
  await preflight(lab, plan, docker, platform, options.kvmDevice);
  const routes = await vxlanRoutes(plan.links, platform);
  await ensureImages(plan.images, docker, platform, reporter, options.signal);
  for (const n of lab.nodes) await mkdir(n.nodeDir, { recursive: true });
  for (const c of plan.containers) {
    for (const b of c.spec.HostConfig?.Binds ?? []) {
      const src = b.split(":")[0] as string;
      if (src.startsWith(`${lab.labDir}/`)) await mkdir(src, { recursive: true });
    }
  }
  for (const note of plan.notes) reporter.info(note);
  const planned = new Set(plan.containers.map((c) => c.node));
  const certs = await issueCertificates(
    lab,
    lab.nodes.filter((n) => planned.has(n.name)),
    { CLAB_CA_CERT_FILE: platform.env("CLAB_CA_CERT_FILE"), CLAB_CA_KEY_FILE: platform.env("CLAB_CA_KEY_FILE") },
  );
  if (certs.tls.size) reporter.info(`issued certificates for ${[...certs.tls.keys()].join(", ")} (${tlsDir(lab)})`);

  const created: Created = { containers: [], netns: [], pids: new Map() };
  try {
    if (plan.network.usesMgmt) {
      created.network = await ensureNetwork(plan, docker);
      reporter.info(
        `management network ${created.network.name} (${created.network.created ? "created" : "reused"}, bridge ${created.network.bridge})`,
      );
      if (!created.network.names && lab.nodes.length > 1)
        reporter.warn(
          `network ${created.network.name} resolves no node names or aliases: nodes reach each other by address only (${
            (await docker.transport.podman())
              ? "Podman on CNI without DNS: install netavark and aardvark-dns, Podman's default network stack"
              : "Docker's default bridge has no DNS: use a network of your own in mgmt.network"
          })`,
        );
      // Firewall rules only for a network lab made: it removes them with it.
      if (created.network.created) {
        const rules = await prepareBridge(
          created.network,
          { externalAccess: lab.mgmt.externalAccess, ipv6: !!lab.mgmt.ipv6Subnet },
          platform,
          docker,
        );
        if (rules.length) reporter.debug(`external access: ${rules.join(", ")} ACCEPT in DOCKER-USER`);
      }
    }
    if (plan.containers.length)
      reporter.info(
        `creating ${plan.containers.length} container${plan.containers.length === 1 ? "" : "s"} with ${options.maxWorkers} workers`,
      );
    // Waiting on a node's create-links or configure stage needs its links made as it starts.
    const staged = lab.nodes.some((n) => n.waitFor.some((w) => w.stage === "create-links" || w.stage === "configure"))
      ? new StagedLinks(
          plan.links,
          await linkContext(plan, docker, platform, created.network, created.pids, routes),
          (b) => runLinkBatches(platform, b, options.maxWorkers),
        )
      : undefined;
    await runWithDependencies(
      plan.containers.map((c) => ({ id: c.node, deps: c.dependsOn, value: c })),
      async (step, signal) => {
        await createContainer(step, lab, docker, created, reporter, signal, deps, certs, options.afterStart);
        if (staged) {
          const node = lab.nodes.find((n) => n.name === step.node) as NodeModel;
          await runStageHooks(node, "create-links", "on-enter", deps);
          await staged.ready(step.name);
          await runStageHooks(node, "create-links", "on-exit", deps);
        }
      },
      { maxWorkers: options.maxWorkers, signal: options.signal },
    );
    // LLDP crosses the management bridge. Only now: Podman's netavark makes the bridge when the
    // first container joins it.
    if (created.network && created.network.bridge !== "docker0") await forwardLldp(platform, created.network.bridge);
    if (staged) {
      await staged.rest();
      const left = staged.pending();
      if (left.length) throw new LabError("internal", `links not created: ${left.map((l) => l.label).join(", ")}`);
    } else {
      // All links are made at once: every node enters and leaves create-links together.
      const planned = plan.containers.map((c) => lab.nodes.find((n) => n.name === c.node) as NodeModel);
      const linkHooks = hasHooks(planned, "create-links");
      if (linkHooks) for (const n of planned) await runStageHooks(n, "create-links", "on-enter", deps);
      if (plan.links.length) {
        reporter.info(`creating ${plan.links.length} link${plan.links.length === 1 ? "" : "s"}`);
        const ctx = await linkContext(plan, docker, platform, created.network, created.pids, routes);
        await runLinkBatches(platform, linkBatches(plan.links, ctx), options.maxWorkers);
      }
      if (linkHooks) for (const n of planned) await runStageHooks(n, "create-links", "on-exit", deps);
    }
    if (plan.links.length) await disableTxOffload(platform, plan.links, created.pids, reporter);
    if (options.signal.aborted) throw new LabError("interrupted", "interrupted");
  } catch (error) {
    await rollback(created, plan, deps);
    throw error;
  }
  const exec = await runExec(lab, plan, deps, options.maxWorkers, options.signal);
  const containers = await listLabContainers(docker, lab.name);
  await writeArtifacts(lab, containers, reporter, platform);
  await recordState(lab, plan);
  return { containers, exec };
}
