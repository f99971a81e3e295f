import { createHash } from "node:crypto";
import { readFile, rename, writeFile } from "node:fs/promises";
import type { ContainerStep, DeployPlan, LinkStep } from "./plan.ts";

// What the last deploy or apply put in place, kept in the lab dir (as Containerlab keeps
// .state.clab.yaml): each node's container definition and each link, so that the next `lab up`
// changes only the difference, and `lab start` can re-make a node's missing links.

export const STATE_FILE = ".lab-state.json";

export interface NodeState {
  container: string;
  /** The definition, field by field, as compared for drift (see fingerprint). */
  fingerprint: Record<string, string>;
}

export interface LabState {
  version: 1;
  lab: string;
  file: string;
  nodes: Record<string, NodeState>;
  /** Links by key, as planned. */
  links: Record<string, LinkStep>;
  /** A lab over several hosts: which, and its tunnels' UDP port (kept by the next apply). */
  hosts?: { names: string[]; vxlanPort: number };
}

const stable = (v: unknown): string =>
  JSON.stringify(v, (_k, x) =>
    x && typeof x === "object" && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : x,
  ) ?? "";

const NOT_DEFINITION = new Set(["clab-owner", "clab-topo-file", "clab-mgmt-net-bridge"]);

const hash = (text: string | undefined) => (text === undefined ? "" : createHash("sha256").update(text).digest("hex"));

/**
 * A node's definition as named fields, for telling what changed. The interface count (a boot-time
 * hint), the other nodes' static addresses (extra hosts) and no_proxy (which lists every node) are
 * left out: adding a link or a node elsewhere must not re-create this one. Containerlab compares
 * the topology's env, which holds none of these.
 */
const COMPUTED_ENV = /^(CLAB_INTFS|no_proxy|NO_PROXY)=/;

export function fingerprint(step: ContainerStep): Record<string, string> {
  const { Env = [], HostConfig = {}, NetworkingConfig, ...rest } = step.spec;
  const { ExtraHosts: _extraHosts, Binds, PortBindings, Devices, CapAdd, Privileged, Sysctls, ...host } = HostConfig;
  const { Image, Cmd, Entrypoint, User, Hostname, Labels, ExposedPorts: _exposed, ...other } = rest;
  return {
    kind: step.kind,
    image: stable(Image),
    env: stable(Env.filter((e) => !COMPUTED_ENV.test(e)).sort()),
    cmd: stable(Cmd),
    entrypoint: stable(Entrypoint),
    user: stable(User),
    hostname: stable(Hostname),
    // Who ran lab last, and from which file, is not part of the definition.
    labels: stable(Object.fromEntries(Object.entries(Labels ?? {}).filter(([k]) => !NOT_DEFINITION.has(k)))),
    ports: stable(PortBindings),
    binds: stable(Binds),
    devices: stable(Devices),
    capabilities: stable(CapAdd),
    privileged: stable(Privileged),
    sysctls: stable(Sysctls),
    "management address": stable(NetworkingConfig),
    "container settings": stable({ ...host, ...other }),
    "startup-config": step.startupConfig
      ? stable({
          target: step.startupConfig.target,
          enforce: step.startupConfig.enforce,
          text: hash(step.startupConfig.text),
          template: hash(step.startupConfig.template),
        })
      : "",
    files: stable(step.files.map((f) => ({ ...f, text: hash(f.text) }))),
    certificate: stable(step.certificate),
    // A distributed chassis's cards (Containerlab's ComputeDiff adds Components); only when it has any,
    // so the fingerprints of every other node stay as they were.
    ...(step.components
      ? {
          components: stable(step.components.map((c) => fingerprint({ ...step, spec: c.spec, components: undefined }))),
        }
      : {}),
    exec: stable(step.exec),
  };
}

/** The fields that differ between two fingerprints (all of them when one is unknown). */
export function changedFields(before: Record<string, string> | undefined, after: Record<string, string>): string[] {
  if (!before) return [];
  return Object.keys(after).filter((k) => before[k] !== after[k]);
}

/** A link's identity: its ends (sorted) and type; parameters are compared separately. */
export function linkKey(step: LinkStep): string {
  const end = (p: LinkStep["a"] | undefined) =>
    !p ? "" : p.where === "container" ? `${p.node}:${p.iface}` : `host:${p.iface}`;
  return `${step.type} ${[end(step.a), end(step.b)].sort().join(" ")}`;
}

/** Whether two plans of one link would make the same link. */
export const sameLink = (a: LinkStep, b: LinkStep) => stable(a) === stable(b);

export function stateFromPlan(plan: DeployPlan): LabState {
  return {
    version: 1,
    lab: plan.lab.name,
    file: plan.lab.file,
    nodes: Object.fromEntries(plan.containers.map((c) => [c.node, { container: c.name, fingerprint: fingerprint(c) }])),
    links: Object.fromEntries(plan.links.map((l) => [linkKey(l), l])),
    ...(plan.hosts ? { hosts: plan.hosts } : {}),
  };
}

export async function readState(labDir: string): Promise<LabState | undefined> {
  try {
    const state = JSON.parse(await readFile(`${labDir}/${STATE_FILE}`, "utf8")) as LabState;
    return state.version === 1 ? state : undefined;
  } catch {
    return undefined;
  }
}

/** Written to a temporary file and renamed, so a crash never leaves half a state. */
export async function writeState(labDir: string, state: LabState): Promise<void> {
  const path = `${labDir}/${STATE_FILE}`;
  await writeFile(`${path}.tmp`, `${JSON.stringify(state, null, 1)}\n`);
  await rename(`${path}.tmp`, path);
}
