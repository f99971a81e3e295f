import { createPrivateKey } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { chmod, chown, copyFile, mkdir, rm, symlink, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { DockerClient } from "../../runtime/docker/index.ts";
import type { ContainerCreateSpec } from "../../runtime/docker/types.ts";
import { allowBridge, bridgeChain, disallowBridge, forwardLldp } from "../../runtime/net/firewall.ts";
import {
  deleteInterfaces,
  dummySupported,
  interfacesWithAlias,
  linkNetns,
  makeBridgeIn,
  unlinkNetns,
} from "../../runtime/net/ip.ts";
import type { Platform } from "../../runtime/platform/index.ts";
import { issueCertificates, issueNodeCertificate, type NodeTls, tlsDir } from "../cert/issue.ts";
import type { CertificatePem } from "../cert/x509.ts";
import { LabError } from "../errors.ts";
import { renderTemplate } from "../gotemplate/index.ts";
import { LOCAL, sshUrlOf } from "../hosts/definitions.ts";
import type { Host, HostSet } from "../hosts/hosts.ts";
import { firstRegularFile } from "../registry/tar.ts";
import { sleep } from "../sleep.ts";
import { userPublicKeys } from "../ssh/pubkeys.ts";
import type { LabModel, NodeFile, NodeModel, StartupConfig } from "../topology/index.ts";
import { nodeConfigData } from "../topology/node-data.ts";
import { shellSplit } from "../topology/units.ts";
import { sshConfig, toJson, topologyData, writeHostsBlock, writeSshConfig } from "./artifacts.ts";
import { checkHostNeeds } from "./host-needs.ts";
import { ensureImages } from "./images.ts";
import { type LabContainer, listOnHosts } from "./inspect.ts";
import { ansibleInventory, nornirInventory } from "./inventory.ts";
import { runLinkBatches, vxlanRoutes } from "./link-run.ts";
import { type LinkContext, linkBatches } from "./links.ts";
import { StagedLinks } from "./links-staged.ts";
import { ensureNetwork, type MgmtNetwork, prepareBridge } from "./network.ts";
import {
  bridgesHostedBy,
  type ContainerStep,
  type DeployPlan,
  type ImageStep,
  type LinkStep,
  netnsContainer,
  nsBridgeHost,
  ownedBy,
} from "./plan.ts";
import { mapLimit, runWithDependencies } from "./pool.ts";
import { type PostDeployOutcome, runPostDeploy } from "./post-deploy.ts";
import { preflight } from "./preflight.ts";
import type { Reporter } from "./reporter.ts";
import { hasHooks, logExec, runStageHooks } from "./stage-hooks.ts";
import { readState, stateFromPlan, writeState } from "./state.ts";
import { disableMgmtTxOffload, disableTxOffload } from "./tx-offload.ts";

export interface DeployOptions {
  maxWorkers: number;
  signal: AbortSignal;
  kvmDevice?: string;
  /** Runs once a container is up, before its links are made (apply puts parked link ends back here). */
  afterStart?: (step: ContainerStep) => Promise<void>;
  /** How long a kind's post-deploy step may wait for the NOS to answer (default 300 s). */
  postDeployTimeoutMs?: number;
  /** --skip-post-deploy: leave the kinds' post-deploy configuration out. */
  skipPostDeploy?: boolean;
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
  postDeploy: PostDeployOutcome[];
}

interface Created {
  containers: { id: string; name: string }[];
  network?: MgmtNetwork;
  netns: string[];
  /** Container name → init pid, recorded at start so links need no second inspect. */
  pids: Map<string, number>;
}

/** Waits, or ends the deploy as interrupted when the signal aborts meanwhile. */
async function pause(ms: number, signal: AbortSignal): Promise<void> {
  await sleep(ms, signal);
  if (signal.aborted) throw new LabError("interrupted", "interrupted");
}

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

/** Writes (or copies) a file into the node dir; a `keep` file already there stays. False when kept. */
async function writeNodeFile(file: NodeFile): Promise<boolean> {
  if (file.keep && existsSync(file.path)) return false;
  await mkdir(dirname(file.path), { recursive: true });
  if (file.link !== undefined) {
    // A link already there (a redeploy) is made again: its target may have changed.
    await rm(file.path, { force: true });
    await symlink(file.link, file.path);
  } else if (file.source) await copyFile(file.source, file.path);
  else await writeFile(file.path, file.text ?? "", { mode: file.mode });
  // The umask may have narrowed the mode; scripts must stay executable.
  if (file.mode !== undefined) await chmod(file.path, file.mode);
  return true;
}

/** A kind's configuration made at deploy from the node dir, the startup-config, licence and keys (6WIND VSR). */
async function writeInitConfig(node: NodeModel, platform: Platform): Promise<void> {
  const init = node.kind.initConfig;
  if (!init) return;
  const read = (path: string) => (existsSync(path) ? readFileSync(path, "utf8") : undefined);
  const text = init.build({
    name: node.name,
    saved: (path) => read(`${node.nodeDir}/${path}`),
    startupConfig: node.startupCli,
    license: node.license ? read(node.license)?.replace(/\n$/, "") : undefined,
    sshKeys: userPublicKeys(platform.env("HOME")),
  });
  await writeNodeFile({ path: `${node.nodeDir}/${init.path}`, text });
}

/**
 * Gives a NOS's own group the node dir, as Containerlab does for VyOS (chown to the group, and a
 * POSIX ACL granting it rwx, also as the default for new files). Where setfacl is missing, the
 * setgid bit and group rwx give the same access to what the node creates.
 */
async function shareNodeDir(dir: string, gid: number, platform: Platform): Promise<void> {
  await chown(dir, 0, gid);
  await chmod(dir, 0o2775);
  await platform.run(["setfacl", "-m", `g:${gid}:rwx`, "-d", "-m", `g:${gid}:rwx`, dir]).catch(() => undefined);
}

/**
 * The node's certificate where its kind binds it from (cEOS: ssl/ in the node dir). Always
 * written, empty without a certificate: a bind of a missing file would make the engine create a
 * directory in its place. Rewritten in place once the engine's addresses are in the certificate.
 */
async function writeTlsFiles(node: NodeModel, tls: NodeTls | undefined): Promise<void> {
  const files = tlsPlaces(node);
  if (!files || (!tls && files.ca === undefined)) return;
  for (const [path, text] of [
    [files.key, tls?.key ?? ""],
    [files.cert, tls?.cert ?? ""],
    [files.ca, tls?.anchor ?? ""],
  ] as const)
    if (path) await writeNodeFile({ path: `${node.nodeDir}/${path}`, text, mode: path === files.key ? 0o600 : 0o644 });
}

const tlsPlaces = (node: NodeModel) => {
  const t = node.kind.tlsFiles;
  return typeof t === "function" ? t(node) : t;
};

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
  // VyOS reads only PKCS#8 keys; the certificate's key is PKCS#1, as Containerlab's.
  const key =
    tls && node.kind.tlsKeyPkcs8 ? createPrivateKey(tls.key).export({ type: "pkcs8", format: "pem" }) : undefined;
  const rendered =
    tls && config.template
      ? renderTemplate(
          config.template,
          nodeConfigData(node, lab, key ? { ...tls, key: String(key) } : tls),
          "startup-config",
        )
      : config.text;
  const text = rendered === undefined || rendered.endsWith("\n") ? rendered : `${rendered}\n`;
  for (const target of [config.target, ...(config.alsoAt ?? [])]) {
    if (await writeNodeFile({ path: target, text, source: config.source, keep: !config.enforce }))
      reporter.debug(`node ${node.name}: startup-config placed at ${target}`);
    else reporter.info(`node ${node.name}: keeping ${target} (enforce-startup-config replaces it)`);
  }
}

/** Where each node runs: its host in the plan's placement (this machine when none). */
export function hostOfNode(lab: LabModel, hosts: HostSet, name: string): Host {
  const node = lab.nodes.find((n) => n.name === name);
  return hosts.get(node?.host && hosts.has(node.host.name) ? node.host.name : undefined);
}

/**
 * Files the topology references travel with a node placed on another host: its node dir and the
 * bind sources beside the topology (or in the lab dir), copied to the same paths there. Host paths
 * elsewhere (/lib/modules, a socket) are that host's own.
 */
async function shipNodeFiles(step: ContainerStep, lab: LabModel, local: Platform, host: Host): Promise<void> {
  const inside = (p: string) => p === lab.dir || p.startsWith(`${lab.dir}/`) || p.startsWith(`${lab.labDir}/`);
  const node = lab.nodes.find((n) => n.name === step.node) as NodeModel;
  const binds = (step.spec.HostConfig?.Binds ?? []).map((b) => b.split(":")[0] as string);
  // An empty node dir nothing mounts need not travel (the engine makes missing bind sources).
  const nodeDir = binds.includes(node.nodeDir) || readdirSync(node.nodeDir).length ? [node.nodeDir] : [];
  const paths = [...new Set([...nodeDir, ...binds].filter((p) => p.startsWith("/") && inside(p) && existsSync(p)))];
  if (!paths.length) return;
  const tar = await local.run(["tar", "-C", "/", "-cf", "-", ...paths.map((p) => p.slice(1))]);
  if (tar.code !== 0)
    throw new LabError("internal", `cannot pack ${step.node}'s files: ${new TextDecoder().decode(tar.stderr).trim()}`);
  // One command there: its parent directories, then the files.
  const parents = [...new Set(paths.map((p) => dirname(p)))];
  const untar = await host.platform.run(["sh", "-c", 'mkdir -p "$@" && tar -C / -xf -', "sh", ...parents], {
    stdin: tar.stdout,
  });
  if (untar.code !== 0)
    throw new LabError(
      "engine",
      `host ${host.name}: cannot unpack ${step.node}'s files: ${new TextDecoder().decode(untar.stderr).trim()}`,
    );
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

/** Files the kind takes from the image (read from the created container), into the node dir. */
async function copyImageFiles(node: NodeModel, id: string, docker: DockerClient, reporter: Reporter) {
  for (const f of node.kind.imageFiles ?? []) {
    const archive = await docker.containers.archive(id, f.from);
    const data = archive && (await firstRegularFile(archive));
    if (!data) {
      reporter.debug(`node ${node.name}: the image has no ${f.from}`);
      continue;
    }
    await writeNodeFile({
      path: `${node.nodeDir}/${f.to}`,
      text: `${f.header ?? ""}${new TextDecoder().decode(data)}`,
    });
  }
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

async function createContainer(step: ContainerStep, lab: LabModel, run: HostRun, ctx: RunContext, signal: AbortSignal) {
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

/**
 * What link creation on one host needs to know: every container's pid there (those lab starts are
 * recorded as they start, into `known`; external and already running ones are inspected now), netns
 * names, the management bridge, and the underlay of vxlan tunnels.
 */
async function linkContext(run: HostRun, known: Map<string, number>): Promise<LinkContext> {
  const { host, links } = run;
  const starting = new Set(run.containers.map((c) => c.name));
  const netns = new Map<string, string>();
  for (const l of links) {
    for (const p of [l.a, l.b]) {
      if (p?.where !== "container") continue;
      netns.set(p.container, p.container);
      if (starting.has(p.container) || known.has(p.container)) continue;
      // An external (or already running) container: lab did not start it in this run.
      const info = await host.docker.containers.inspect(p.container);
      known.set(p.container, info.State.Pid);
      await linkNetns(host.platform, info.State.Pid, p.container);
    }
  }
  return {
    pids: known,
    netns,
    mgmtBridge: run.created.network?.bridge ?? "",
    dummy: links.some((l) => l.type === "dummy") ? await dummySupported(host.platform) : true,
    routes: run.routes,
  };
}

/** Waits (up to 5 minutes) for a node's healthcheck to pass; false when it has none or never does. */
async function becameHealthy(node: NodeModel, docker: DockerClient, signal: AbortSignal): Promise<boolean> {
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    const health = (await docker.containers.inspect(node.longName)).State.Health;
    if (!health) return false;
    if (health.Status === "healthy") return true;
    await pause(1000, signal);
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
  ctx: RunContext,
  workers: number,
  signal: AbortSignal,
): Promise<ExecOutcome[]> {
  const { reporter } = ctx;
  const nodeOf = (c: ContainerStep) => lab.nodes.find((n) => n.name === c.node) as NodeModel;
  const staged = (stage: "configure" | "healthy") =>
    plan.containers.filter((c) => nodeOf(c).stageExec.some((h) => h.stage === stage));
  const withExec = plan.containers.filter(
    (c) => c.exec.length || nodeOf(c).stageExec.some((h) => h.stage === "configure"),
  );
  const results = await mapLimit(withExec, workers, async (c) => {
    const out: ExecOutcome[] = [];
    const hooks = ctx.hooksOf(c.node);
    await runStageHooks(nodeOf(c), "configure", "on-enter", hooks);
    for (const command of c.exec) {
      const argv = shellSplit(command);
      const r = await hooks.docker.exec.run(c.name, argv);
      const outcome = {
        node: c.node,
        command,
        exitCode: r.exitCode,
        stdout: new TextDecoder().decode(r.stdout),
        stderr: new TextDecoder().decode(r.stderr),
      };
      out.push(outcome);
      logExec(reporter, { ...outcome, argv });
    }
    await runStageHooks(nodeOf(c), "configure", "on-exit", hooks);
    return out;
  });
  await mapLimit(staged("healthy"), workers, async (c) => {
    const node = nodeOf(c);
    const hooks = ctx.hooksOf(c.node);
    await runStageHooks(node, "healthy", "on-enter", hooks);
    if (await becameHealthy(node, hooks.docker, signal)) await runStageHooks(node, "healthy", "on-exit", hooks);
    else
      reporter.warn(
        `node ${node.name}: never reported healthy (does it have a healthcheck?); its healthy on-exit hooks did not run`,
      );
  });
  return results.flat();
}

/** Removes what this run created on one host, newest first; used on failure and on Ctrl-C. */
async function rollback(run: HostRun, plan: DeployPlan): Promise<void> {
  const { host, created } = run;
  const { docker, platform } = host;
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
    if (!next.hosts && previous.hosts) next.hosts = previous.hosts;
  }
  await writeState(lab.labDir, next);
}

async function writeArtifacts(lab: LabModel, containers: LabContainer[], reporter: Reporter, hosts: HostSet) {
  const platform = hosts.local.platform;
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
  const jumps = Object.fromEntries(hosts.remotes.flatMap((h) => (h.def ? [[h.name, jumpOf(sshUrlOf(h.def))]] : [])));
  await writeSshConfig(lab.name, sshConfig(lab.name, containers, users, jumps)).catch((e) =>
    reporter.warn(`cannot write the ssh config: ${(e as Error).message}`),
  );
}

/** ssh://user@host:port as OpenSSH's ProxyJump writes it. */
function jumpOf(url: string): string {
  const u = new URL(url);
  return `${u.username ? `${decodeURIComponent(u.username)}@` : ""}${u.hostname}${u.port ? `:${u.port}` : ""}`;
}

/** One host's share of a deploy, and what this run made there (for rollback). */
interface HostRun extends HostShare {
  created: Created;
  routes: Map<string, string>;
}

interface RunContext {
  hosts: HostSet;
  reporter: Reporter;
  certs: { ca?: CertificatePem; tls: Map<string, NodeTls> };
  afterStart?: DeployOptions["afterStart"];
  /** The engine and command runner a node's stage hooks use: its host's. */
  hooksOf(node: string): { docker: DockerClient; platform: Platform; reporter: Reporter };
}

/** One host's share of a plan: the containers, links and images it deploys. */
export interface HostShare {
  host: Host;
  containers: ContainerStep[];
  links: LinkStep[];
  images: ImageStep[];
}

/** Splits a plan by host (a one-host plan is all this machine's). */
export function hostShares(lab: LabModel, plan: DeployPlan, hosts: HostSet): HostShare[] {
  const names = plan.hosts?.names ?? [LOCAL];
  const nodeHost = new Map(plan.containers.map((c) => [c.node, c.host ?? LOCAL]));
  for (const n of lab.nodes) if (!nodeHost.has(n.name)) nodeHost.set(n.name, hostOfNode(lab, hosts, n.name).name);
  return names.map((name) => ({
    host: hosts.get(name),
    containers: plan.containers.filter((c) => (c.host ?? LOCAL) === name),
    links: plan.links.filter((l) => (l.host ?? LOCAL) === name),
    images: plan.images
      .map((i) => ({ ...i, nodes: i.nodes.filter((n) => nodeHost.get(n) === name) }))
      .filter((i) => i.nodes.length),
  }));
}

function hostRuns(lab: LabModel, plan: DeployPlan, hosts: HostSet): HostRun[] {
  return hostShares(lab, plan, hosts).map((share) => ({
    ...share,
    created: { containers: [], netns: [], pids: new Map() },
    routes: new Map(),
  }));
}

/** The management network on one host: created or reused, with what Containerlab sets up around it. */
async function hostNetwork(run: HostRun, lab: LabModel, plan: DeployPlan, reporter: Reporter): Promise<void> {
  const { host } = run;
  const where = host.name === LOCAL ? "" : ` on ${host.name}`;
  const net = await ensureNetwork(plan, host.docker, plan.network.hosts?.[host.name]);
  run.created.network = net;
  reporter.info(`management network ${net.name}${where} (${net.created ? "created" : "reused"}, bridge ${net.bridge})`);
  if (!net.names && lab.nodes.length > 1)
    reporter.warn(
      `network ${net.name}${where} resolves no node names or aliases: nodes reach each other by address only (${
        (await host.docker.transport.podman())
          ? "Podman on CNI without DNS: install netavark and aardvark-dns, Podman's default network stack"
          : "Docker's default bridge has no DNS: use a network of your own in mgmt.network"
      })`,
    );
  // Firewall rules only for a network lab made: it removes them with it.
  if (net.created) {
    const rules = await prepareBridge(
      net,
      { externalAccess: lab.mgmt.externalAccess, ipv6: !!lab.mgmt.ipv6Subnet },
      host.platform,
      host.docker,
    );
    if (rules.length) reporter.debug(`external access${where}: ${rules.join(", ")} ACCEPT in DOCKER-USER`);
  }
}

/**
 * Deploys a planned lab: preflight, images, lab dir, management network, containers in dependency
 * order on bounded workers, links in bulk, exec, then the hosts block, ssh config and lab-dir files.
 * A lab over several hosts does each step on every host (containers in one dependency order across
 * them). Any failure or an abort removes what this run created, on every host.
 */
export async function deployLab(
  lab: LabModel,
  plan: DeployPlan,
  deps: { hosts: HostSet; reporter: Reporter },
  options: DeployOptions,
): Promise<DeployResult> {
  const { hosts, reporter } = deps;
  const local = hosts.local;
  const runs = hostRuns(lab, plan, hosts);
  const byHost = new Map(runs.map((r) => [r.host.name, r]));
  await Promise.all(
    runs.map((r) =>
      preflight(lab, plan, r.host.docker, r.host.platform, options.kvmDevice, {
        only: { containers: r.containers, links: r.links, images: r.images, host: r.host.name },
      }),
    ),
  );
  await Promise.all(
    runs.map((r) =>
      checkHostNeeds(
        r.containers.map((c) => ({ node: c.node, kind: (lab.nodes.find((n) => n.name === c.node) as NodeModel).kind })),
        r.host.platform,
        reporter,
      ),
    ),
  );
  for (const r of runs) r.routes = await vxlanRoutes(r.links, r.host.platform);
  await Promise.all(
    runs.map((r) => ensureImages(r.images, r.host.docker, local.platform, reporter, options.signal, r.host.name)),
  );
  for (const n of lab.nodes) {
    await mkdir(n.nodeDir, { recursive: true });
    if (n.kind.nodeDirGroup !== undefined) await shareNodeDir(n.nodeDir, n.kind.nodeDirGroup, local.platform);
  }
  // Bind sources in the lab dir are directories, except the files lab writes there itself.
  const files = new Set(
    lab.nodes.flatMap((n) => [
      ...n.files.map((f) => f.path),
      ...(n.startupConfig ? [n.startupConfig.target] : []),
      ...(n.kind.initConfig ? [`${n.nodeDir}/${n.kind.initConfig.path}`] : []),
      ...Object.values(tlsPlaces(n) ?? {}).map((p) => `${n.nodeDir}/${p}`),
    ]),
  );
  for (const c of plan.containers) {
    for (const b of [c.spec, ...(c.components ?? []).map((x) => x.spec)].flatMap((s) => s.HostConfig?.Binds ?? [])) {
      const src = b.split(":")[0] as string;
      if (src.startsWith(`${lab.labDir}/`) && !files.has(src)) await mkdir(src, { recursive: true });
    }
  }
  for (const note of plan.notes) reporter.info(note);
  for (const w of plan.warnings ?? []) reporter.warn(w);
  const planned = new Set(plan.containers.map((c) => c.node));
  const certs = await issueCertificates(
    lab,
    lab.nodes.filter((n) => planned.has(n.name)),
    {
      CLAB_CA_CERT_FILE: local.platform.env("CLAB_CA_CERT_FILE"),
      CLAB_CA_KEY_FILE: local.platform.env("CLAB_CA_KEY_FILE"),
    },
  );
  if (certs.tls.size) reporter.info(`issued certificates for ${[...certs.tls.keys()].join(", ")} (${tlsDir(lab)})`);
  const ctx: RunContext = {
    hosts,
    reporter,
    certs,
    afterStart: options.afterStart,
    hooksOf: (node) => {
      const h = hostOfNode(lab, hosts, node);
      return { docker: h.docker, platform: h.platform, reporter };
    },
  };
  const runOf = (step: ContainerStep) => byHost.get(step.host ?? LOCAL) as HostRun;
  const containerHost = new Map(plan.containers.map((c) => [c.node, c.host ?? LOCAL]));

  try {
    if (plan.network.usesMgmt) await Promise.all(runs.map((r) => hostNetwork(r, lab, plan, reporter)));
    if (plan.containers.length)
      reporter.info(
        `creating ${plan.containers.length} container${plan.containers.length === 1 ? "" : "s"} with ${options.maxWorkers} workers${
          runs.length > 1 ? ` on ${runs.length} hosts` : ""
        }`,
      );
    // Waiting on a node's create-links or configure stage needs its links made as it starts.
    const stagedMode = lab.nodes.some((n) =>
      n.waitFor.some((w) => w.stage === "create-links" || w.stage === "configure"),
    );
    const staged = new Map<string, StagedLinks>();
    if (stagedMode)
      for (const r of runs)
        staged.set(
          r.host.name,
          new StagedLinks(r.links, await linkContext(r, r.created.pids), (b) =>
            runLinkBatches(r.host.platform, b, options.maxWorkers),
          ),
        );
    await runWithDependencies(
      plan.containers.map((c) => ({ id: c.node, deps: c.dependsOn, value: c })),
      async (step, signal) => {
        const run = runOf(step);
        await createContainer(step, lab, run, ctx, signal);
        const links = staged.get(run.host.name);
        if (links) {
          const node = lab.nodes.find((n) => n.name === step.node) as NodeModel;
          const hooks = ctx.hooksOf(step.node);
          await runStageHooks(node, "create-links", "on-enter", hooks);
          await links.ready(step.name);
          await runStageHooks(node, "create-links", "on-exit", hooks);
        }
      },
      // Each host creates its containers with its own workers: hosts do not wait for each other.
      { maxWorkers: options.maxWorkers, signal: options.signal, lane: (node) => containerHost.get(node) ?? LOCAL },
    );

    // LLDP crosses the management bridge. Only now: Podman's netavark makes the bridge when the
    // first container joins it.
    for (const r of runs) {
      const net = r.created.network;
      if (net && net.bridge !== "docker0") await forwardLldp(r.host.platform, net.bridge);
    }
    if (stagedMode) {
      for (const links of staged.values()) {
        await links.rest();
        const left = links.pending();
        if (left.length) throw new LabError("internal", `links not created: ${left.map((l) => l.label).join(", ")}`);
      }
    } else {
      // All links are made at once: every node enters and leaves create-links together.
      const nodes = plan.containers.map((c) => lab.nodes.find((n) => n.name === c.node) as NodeModel);
      const linkHooks = hasHooks(nodes, "create-links");
      if (linkHooks) for (const n of nodes) await runStageHooks(n, "create-links", "on-enter", ctx.hooksOf(n.name));
      if (plan.links.length) {
        reporter.info(`creating ${plan.links.length} link${plan.links.length === 1 ? "" : "s"}`);
        await Promise.all(
          runs.map(async (r) => {
            if (!r.links.length) return;
            const lctx = await linkContext(r, r.created.pids);
            await runLinkBatches(r.host.platform, linkBatches(r.links, lctx), options.maxWorkers);
          }),
        );
      }
      if (linkHooks) for (const n of nodes) await runStageHooks(n, "create-links", "on-exit", ctx.hooksOf(n.name));
    }
    for (const r of runs)
      if (r.links.length) await disableTxOffload(r.host.platform, r.links, r.created.pids, reporter);
    // Host bridges the lab joins pass forwarded traffic (Docker's FORWARD policy would drop what
    // br_netfilter hands it), as Containerlab's bridge PostDeploy allows it; a bridge inside a
    // node's namespace is not the host firewall's business (Containerlab skips it too).
    for (const b of lab.nodes.filter((n) => n.kind.role === "bridge" && !nsBridgeHost(n, lab))) {
      const platform = hostOfNode(lab, hosts, b.name).platform;
      const chain = await bridgeChain(platform);
      const added = await allowBridge(platform, b.name, true, chain);
      if (added.length) reporter.debug(`bridge ${b.name}: ${added.join(", ")} ACCEPT in ${chain}`);
    }
    if (options.signal.aborted) throw new LabError("interrupted", "interrupted");
  } catch (error) {
    reporter.warn(`rolling back: removing what this run created${runs.length > 1 ? " on every host" : ""}`);
    await Promise.all(runs.map((r) => rollback(r, plan)));
    throw error;
  }
  const postDeploy = options.skipPostDeploy
    ? []
    : await runPostDeploy(
        lab,
        plan,
        {
          dockerOf: (node) => ctx.hooksOf(node).docker,
          platformOf: (node) => ctx.hooksOf(node).platform,
          reporter,
          sshKeys: userPublicKeys(local.platform.env("HOME")),
          tlsOf: (node) => certs.tls.get(node),
          hostEnv: (name) => local.platform.env(name),
        },
        { workers: options.maxWorkers, signal: options.signal, timeoutMs: options.postDeployTimeoutMs ?? 300_000 },
      );
  const exec = await runExec(lab, plan, ctx, options.maxWorkers, options.signal);

  const containers = await listOnHosts(hosts, lab.name);
  await writeArtifacts(lab, containers, reporter, hosts);
  await recordState(lab, plan);

  return { containers, exec, postDeploy };
}
