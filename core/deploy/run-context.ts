import type { DockerClient } from "../../runtime/docker/index.ts";
import type { Platform } from "../../runtime/platform/index.ts";
import type { NodeTls } from "../cert/issue.ts";
import type { CertificatePem } from "../cert/x509.ts";
import { LabError } from "../errors.ts";
import { LOCAL } from "../hosts/definitions.ts";
import type { Host, HostSet } from "../hosts/hosts.ts";
import { sleep } from "../sleep.ts";
import type { LabModel } from "../topology/index.ts";
import type { LabContainer } from "./inspect.ts";
import type { MgmtNetwork } from "./network.ts";
import type { ContainerStep, DeployPlan, ImageStep, LinkStep } from "./plan.ts";
import type { PostDeployOutcome } from "./post-deploy.ts";
import type { Reporter } from "./reporter.ts";

// What a deploy's steps share: its options and result, each host's share of the plan with what
// this run made there (for rollback), and the context the per-node steps read.

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

export interface Created {
  containers: { id: string; name: string }[];
  network?: MgmtNetwork;
  netns: string[];
  /** Container name → init pid, recorded at start so links need no second inspect. */
  pids: Map<string, number>;
}

/** One host's share of a deploy, and what this run made there (for rollback). */
export interface HostRun extends HostShare {
  created: Created;
  routes: Map<string, string>;
}

export interface RunContext {
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

export function hostRuns(lab: LabModel, plan: DeployPlan, hosts: HostSet): HostRun[] {
  return hostShares(lab, plan, hosts).map((share) => ({
    ...share,
    created: { containers: [], netns: [], pids: new Map() },
    routes: new Map(),
  }));
}

/** Where each node runs: its host in the plan's placement (this machine when none). */
export function hostOfNode(lab: LabModel, hosts: HostSet, name: string): Host {
  const node = lab.nodes.find((n) => n.name === name);
  return hosts.get(node?.host && hosts.has(node.host.name) ? node.host.name : undefined);
}

/** Waits, or ends the deploy as interrupted when the signal aborts meanwhile. */
export async function pause(ms: number, signal: AbortSignal): Promise<void> {
  await sleep(ms, signal);
  if (signal.aborted) throw new LabError("interrupted", "interrupted");
}
