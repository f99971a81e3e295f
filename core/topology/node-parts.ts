import { existsSync, readFileSync } from "node:fs";
import type { KindDef } from "../kinds/index.ts";
import type { KeyPath } from "./diagnostics.ts";
import type { NodeFile, NodeModel, PublishEntry } from "./model.ts";
import { noProxyValue } from "./no-proxy.ts";
import type { NodeLevels } from "./node-levels.ts";
import { parsePortSpec } from "./ports.ts";
import { hostPath } from "./remote-source.ts";
import type { NodeEnv } from "./resolve.ts";
import { parseSize } from "./units.ts";

// The steps of resolving one node (resolve.ts resolveNode), each a part of Containerlab's node
// config as its NewNodeConfig and the kind's Init build it: env, binds, licence, extras, ports,
// publish, type, labels, healthcheck.

/** What every step reads: the node, its kind, its levels, the lab, and the magic variables. */
export interface NodeScope {
  name: string;
  index: number;
  kind: KindDef;
  levels: NodeLevels;
  e: NodeEnv;
  nodeDir: string;
  /** Containerlab's magic variables in a value (__clabNodeName__, __clabNodeDir__, …). */
  magic(s: string): string;
}

export function magicOf(name: string, nodeDir: string, e: NodeEnv): (s: string) => string {
  return (s) =>
    s
      .replaceAll("__clabNodeName__", name)
      .replaceAll("__clabNodeDir__", nodeDir)
      .replaceAll("__clabDir__", e.labDir)
      .replaceAll("__clabLabName__", `clab-${e.labName}`);
}

function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith("#")) continue;
    const eq = trimmed.indexOf("=");
    if (eq < 0) continue;
    out[
      trimmed
        .slice(0, eq)
        .replace(/^export\s+/, "")
        .trim()
    ] = trimmed.slice(eq + 1).replace(/^(["'])(.*)\1$/, "$2");
  }
  return out;
}

/** env: kind defaults < env-files < env maps (with __IMPORT_ENVS), then no_proxy for every node. */
export function nodeEnvOf(s: NodeScope): Record<string, string> {
  const { kind, e, levels } = s;
  const env: Record<string, string> = { ...kind.env };
  // vrnetlab VMs are told the management subnets.
  if (kind.vm && kind.mgmtSubnetEnv !== false) {
    if (e.mgmt.ipv4Subnet) env.DOCKER_NET_V4_ADDR = e.mgmt.ipv4Subnet;
    if (e.mgmt.ipv6Subnet) env.DOCKER_NET_V6_ADDR = e.mgmt.ipv6Subnet;
  }
  for (const f of levels.concat("env-files")) {
    const path = hostPath(e.source.dir, s.magic(f.value));
    if (!existsSync(path)) {
      e.err(f.path, `env file ${path} does not exist`, "Create it or fix the path (relative to the topology file)");
      continue;
    }
    Object.assign(env, parseEnvFile(readFileSync(path, "utf8")));
  }
  for (const [k, v] of Object.entries(levels.merged("env"))) {
    if (k === "__IMPORT_ENVS") {
      if (v === "true") for (const [ek, ev] of Object.entries(e.ctx.env)) if (ev !== undefined) env[ek] ??= ev;
      continue;
    }
    env[k] = s.magic(v);
  }
  env.no_proxy = env.NO_PROXY = noProxyValue(env, e.noProxy);
  return env;
}

/**
 * Binds keyed by container path: the more specific level wins, kind defaults lose to all. Every host
 * path is relative to the topology file, as Containerlab's resolveBindPaths has it (named volumes
 * go under volumes:); sources inside the lab dir are created at deploy.
 */
export class Binds {
  private readonly byTarget = new Map<string, string>();
  constructor(private readonly s: NodeScope) {}

  add(spec: string, path: KeyPath | undefined): void {
    const { e } = this.s;
    const parts = this.s.magic(spec).split(":");
    if (parts.length < 2) {
      if (path) e.err(path, `bind "${spec}" is not host-path:container-path[:options]`);
      return;
    }
    const [src, dst, ...opts] = parts as [string, string, ...string[]];
    if (this.byTarget.has(dst)) return;
    const abs = hostPath(e.source.dir, src);
    const underLab = abs.startsWith(`${e.labDir}/`) || abs === e.labDir;
    if (path && !underLab && !existsSync(abs))
      e.err(path, `bind source ${abs} does not exist`, "Create it or fix the path (relative to the topology file)");
    this.byTarget.set(dst, [abs, dst, ...opts].join(":"));
  }

  get values(): string[] {
    return [...this.byTarget.values()];
  }
}

/** `license:`: checked, copied into the node dir for kinds that read it there, bound where the NOS wants it. */
export function licenseOf(s: NodeScope, binds: Binds, localFile: (value: string) => string | undefined): NodeFile[] {
  const { kind, e, levels, name } = s;
  const license = levels.first("license");
  const files: NodeFile[] = [];
  if (license) {
    const path = localFile(s.magic(license.value));
    if (path && !existsSync(path))
      e.err(license.path, `license file ${path} does not exist`, "Fix the path or remove license:");
    else if (path && kind.licenseFile) {
      files.push({ path: `${s.nodeDir}/${kind.licenseFile}`, source: path });
      // The copy is what the NOS reads (SR Linux, SR-SIM: a fixed path bound from the node dir).
      if (kind.licensePath) binds.add(`${s.nodeDir}/${kind.licenseFile}:${kind.licensePath}:ro`, undefined);
    } else if (path && kind.licensePath) binds.add(`${path}:${kind.licensePath}:ro`, undefined);
    else if (path && !kind.initConfig)
      e.note(`node ${name}: kind ${kind.name} does not use a licence; license: is not used`);
  } else if (kind.licenseRequired) {
    e.err(
      levels.at,
      `node ${name}: kind ${kind.name} does not boot without a licence`,
      "Add license: with the licence file (on the node, its group, kind or defaults)",
    );
  }
  return files;
}

/** The management interface a kind reads from its binds (cEOS's interface mapping file), else eth0. */
export function mgmtIntfOf(s: NodeScope, binds: Binds): string {
  try {
    return s.kind.mgmtIntf?.({ binds: binds.values }) ?? "eth0";
  } catch (error) {
    s.e.err(
      s.levels.first("binds")?.path ?? [...s.levels.at, "binds"],
      `node ${s.name}: ${(error as Error).message}`,
      "Fix the interface mapping file the node binds",
    );
    return "eth0";
  }
}

/** extras: cEOS files copied to flash (evaluated at boot), SR Linux agents mounted for its app manager. */
export function extrasOf(s: NodeScope, binds: Binds): NodeFile[] {
  const { kind, e, name } = s;
  const extras = s.levels.first("extras");
  const files: NodeFile[] = [];
  const list = (key: string) => {
    const value = extras?.value[key];
    return Array.isArray(value) ? value.map((p, i) => ({ p: String(p), path: [...(extras?.path ?? []), key, i] })) : [];
  };
  for (const [key, wanted, use] of [
    [
      "ceos-copy-to-flash",
      "arista_ceos",
      (src: string) => files.push({ path: `${s.nodeDir}/flash/${src.split("/").at(-1)}`, source: src }),
    ],
    [
      "srl-agents",
      "nokia_srlinux",
      (src: string) => binds.add(`${src}:/etc/opt/srlinux/appmgr/${src.split("/").at(-1)}:ro`, undefined),
    ],
  ] as const) {
    for (const { p, path } of list(key)) {
      if (kind.name !== wanted) {
        e.note(`node ${name}: extras.${key} only applies to kind ${wanted}; it is not used`);
        break;
      }
      const src = hostPath(e.source.dir, s.magic(p));
      if (!existsSync(src))
        e.err(path, `${key} file ${src} does not exist`, "Fix the path (relative to the topology file)");
      else use(src);
    }
  }
  return files;
}

/** `ports:` as Docker's port specs, each mistake an error at its entry. */
export function portsOf(s: NodeScope): NodeModel["ports"] {
  const ports = s.levels.firstNonEmpty("ports");
  return (ports?.value ?? []).flatMap((spec, i) => {
    const parsed = parsePortSpec(spec);
    if (typeof parsed === "string") {
      s.e.err([...(ports?.path ?? []), i], parsed);
      return [];
    }
    return parsed;
  });
}

/** `publish:` entries (lab share), each mistake an error at its entry. */
export function publishOf(s: NodeScope, parse: (spec: string) => PublishEntry | string): PublishEntry[] {
  const publish = s.levels.firstNonEmpty("publish");
  return (publish?.value ?? []).flatMap((spec, i) => {
    const parsed = parse(spec);
    if (typeof parsed === "string") {
      s.e.err([...(publish?.path ?? []), i], parsed);
      return [];
    }
    return [parsed];
  });
}

/** A size setting (memory, shm-size) in bytes, as Containerlab parses it; a mistake is an error. */
export function sizeOf(s: NodeScope, key: "memory" | "shm-size"): number | undefined {
  const f = s.levels.first(key);
  if (!f) return undefined;
  const n = parseSize(f.value);
  if (n === undefined) s.e.err(f.path, `"${f.value}" is not a size`, "Use e.g. 512MiB or 2Gb");
  return n;
}

/** A kind with a set of node types: the default when none is given, anything else refused. */
export function nodeTypeOf(s: NodeScope): string | undefined {
  const { kind } = s;
  const entry = s.levels.first("type");
  let type = entry?.value === undefined ? undefined : String(entry.value);
  if (!kind.types) return type;
  if (!type) type = kind.types.default;
  else if (kind.types.valid.length && !kind.types.valid.includes(type))
    s.e.err(
      entry?.path ?? [],
      `node ${s.name}: kind ${kind.name} has no type "${type}"`,
      `Valid types: ${kind.types.valid.join(", ")}`,
    );
  return type;
}

const seconds = (n: number | undefined) => (n === undefined ? undefined : n * 1e9);

/** The node's healthcheck, else its kind's; times in nanoseconds as the engine takes them. */
export function healthcheckOf(s: NodeScope): NodeModel["healthcheck"] {
  const health = s.levels.first("healthcheck")?.value;
  if (health)
    return {
      test: health.test,
      interval: seconds(health.interval),
      timeout: seconds(health.timeout),
      retries: health.retries,
      startPeriod: seconds(health["start-period"]),
    };
  const own = s.kind.healthcheck;
  return (
    own && { test: own.test, interval: seconds(own.interval), timeout: seconds(own.timeout), retries: own.retries }
  );
}

/** A kind's devices this host lacks are left out with a note (6WIND VSR runs without vhost-net). */
export function kindDevicesOf(s: NodeScope): string[] {
  return (s.kind.devices ?? []).filter((d) => {
    if (existsSync(d)) return true;
    s.e.note(`node ${s.name}: ${d} is not on this host; kind ${s.kind.name} runs without it`);
    return false;
  });
}
