import { existsSync } from "node:fs";
import { resolve as resolvePath } from "node:path";
import { allKindNames, type ComponentContainer, findKind, type KindDef, kindNames } from "../kinds/index.ts";
import { stableMac } from "../kinds/mac.ts";
import { closest, type Diagnostic, type KeyPath } from "./diagnostics.ts";
import type { LoadedTopology } from "./load.ts";
import { mergeVars } from "./load.ts";
import {
  type CaSettings,
  type CertificateSettings,
  type Credentials,
  DEFAULT_MGMT,
  type LabModel,
  type MgmtModel,
  type NodeComponent,
  type NodeModel,
  type PublishEntry,
  type PullPolicy,
  type Stage,
  type StageExec,
} from "./model.ts";
import { nameProblem } from "./names.ts";
import { noProxyEntries } from "./no-proxy.ts";
import { type Level, NodeLevels } from "./node-levels.ts";
import {
  Binds,
  extrasOf,
  healthcheckOf,
  kindDevicesOf,
  licenseOf,
  magicOf,
  mgmtIntfOf,
  type NodeScope,
  nodeEnvOf,
  nodeTypeOf,
  portsOf,
  publishOf,
  sizeOf,
} from "./node-parts.ts";
import { hostPath, localFile as remoteLocalFile } from "./remote-source.ts";

// Resolution of a topology's nodes: each node's settings inherited node → group → kind → defaults
// as Containerlab's NewNodeConfig does, its kind's Init applied (node-parts.ts holds the steps), the
// management network, and what is checked across nodes. One job: parsed topology → node models.

export { hostPath } from "./remote-source.ts";

import { STAGES } from "./schema.ts";
import { type PendingStartupConfig, startupConfigOf } from "./startup-config.ts";
import { warnUnhonoured } from "./unhonoured.ts";

/** The label that places a node on another host (lab up across hosts). */
export const HOST_LABEL = "lab.host";

import { parseDuration, parseSize, shellSplit } from "./units.ts";

export type { Level } from "./node-levels.ts";

export interface ResolveContext {
  env: Record<string, string | undefined>;
  /** The mysocket account's limits on published ports (tcp-based, http-based). */
  publishLimits?: { tcp: number; http: number };
  /** The user running lab, for the clab-owner label. */
  owner?: string;
  /** Remote startup-configs and licences already fetched: URL → local file. */
  remote?: ReadonlyMap<string, string>;
  /** deploy's --network, --ipv4-subnet, --ipv6-subnet: over the topology's mgmt, as Containerlab's options. */
  mgmt?: MgmtOverrides;
}

export interface MgmtOverrides {
  network?: string;
  ipv4Subnet?: string;
  ipv6Subnet?: string;
}

const str = (v: unknown) => (v === undefined || v === null ? undefined : String(v));

/** Container name per Containerlab's prefix rules. */
export function longNameOf(prefix: string | undefined, lab: string, node: string): string {
  if (prefix === undefined) return `clab-${lab}-${node}`;
  if (prefix === "") return node;
  if (prefix === "__lab-name") return `${lab}-${node}`;
  return `${prefix}-${lab}-${node}`;
}

function normalizePullPolicy(p: string | undefined): PullPolicy {
  switch (p?.toLowerCase()) {
    case "always":
      return "Always";
    case "never":
      return "Never";
    default:
      return "IfNotPresent";
  }
}

const PUBLISH = /^(http|https|tls|tcp|ssh)\/(\d{1,5})(?:\/(.+))?$/;

export function parsePublish(spec: string): PublishEntry | string {
  const m = PUBLISH.exec(spec.trim());
  if (!m) {
    const type = spec.split("/")[0] ?? "";
    if (!["http", "https", "tls", "tcp", "ssh"].includes(type)) {
      return `"${spec}": unknown type "${type}" (use http, https, tls, tcp or ssh)`;
    }
    return `"${spec}" is not <type>/<port>[/allowed emails or domains]`;
  }
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return `"${spec}": port must be 1-65535`;
  const allowed = (m[3] ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const emails = allowed.filter((a) => a.includes("@"));
  const domains = allowed.filter((a) => !a.includes("@"));
  // An allow-list needs the edge to terminate TLS, so Containerlab turned tcp into tls.
  const type = m[1] === "tcp" && allowed.length ? "tls" : (m[1] as PublishEntry["type"]);
  return { type, port, emails, domains, spec };
}

export interface ResolvedNodes {
  lab: LabModel;
  /** Startup-configs to render once links (and their addresses) are known. */
  startupConfigs: PendingStartupConfig[];
  /** Remote files not fetched yet. */
  pendingRemote: Set<string>;
}

/** Resolves every node: inheritance node → group → kind → defaults, kind defaults, names, labels. */
export function resolveNodes(loaded: LoadedTopology, ctx: ResolveContext, diagnostics: Diagnostic[]): ResolvedNodes {
  const { raw, map, source } = loaded;
  const topo = raw.topology;
  const labName = raw.name;
  const labDir = resolvePath(source.dir, `clab-${labName}`);
  const err = (path: KeyPath, message: string, hint?: string, atKey = false) =>
    diagnostics.push(map.at(path, message, hint, atKey));
  const warnings: Diagnostic[] = [];

  const supported = `supported kinds: ${kindNames().join(", ")}`;
  checkKindsSection(topo.kinds ?? {}, supported, err);

  const defaults: Level = { cfg: topo.defaults ?? {}, path: ["topology", "defaults"], level: "defaults" };
  const groupLevel = (name: string | undefined): Level | undefined =>
    name && topo.groups?.[name] !== undefined
      ? { cfg: topo.groups[name] ?? {}, path: ["topology", "groups", name], level: "group" }
      : undefined;
  // A `kinds:` entry applies to nodes whose kind is written the same way: Containerlab's GetKind
  // looks the name up as it is, so `kinds: { srl: … }` does not reach `kind: nokia_srlinux` nodes.
  const kindLevel = (name: string | undefined): Level | undefined =>
    name && topo.kinds?.[name] !== undefined
      ? { cfg: topo.kinds[name] ?? {}, path: ["topology", "kinds", name], level: "kind" }
      : undefined;

  const mgmt = resolveMgmt(loaded, ctx.mgmt);
  const nodes: NodeModel[] = [];
  const notes: string[] = [];
  const startupConfigs: PendingStartupConfig[] = [];
  const pendingRemote = new Set<string>();
  const nodeNames = Object.keys(topo.nodes ?? {}).sort();
  const noProxy = noProxyEntries(topo.nodes ?? {}, mgmt).join(",");

  nodeNames.forEach((name, index) => {
    const nodePath: KeyPath = ["topology", "nodes", name];
    const own: Level = { cfg: topo.nodes?.[name] ?? {}, path: nodePath, level: "node" };
    const kindName =
      own.cfg.kind ??
      groupLevel(own.cfg.group)?.cfg.kind ??
      groupLevel(defaults.cfg.group)?.cfg.kind ??
      defaults.cfg.kind ??
      "linux";
    const kind = findKind(kindName);
    if (!kind) {
      const near = closest(kindName, allKindNames());
      err(
        [...nodePath, "kind"],
        `unknown kind "${kindName}"`,
        near ? `did you mean "${near}"? ${supported}` : supported,
      );
      return;
    }
    const groupName = own.cfg.group ?? kindLevel(kindName)?.cfg.group ?? defaults.cfg.group;
    const levels = [own, groupLevel(groupName), kindLevel(kindName), defaults].filter((l): l is Level => !!l);
    if (kind.role === "skip") {
      notes.push(`node ${name} (kind ${kindName}) is skipped: ${kind.note}`);
      return;
    }
    // A bridge node is a bridge of that name on the host (or in the node after "|").
    const bridge = name.split("|")[0] as string;
    const badBridge = kind.role === "bridge" ? nameProblem("bridge", bridge) : undefined;
    if (badBridge) {
      err(
        nodePath,
        `node ${name} is a ${kindName} named ${JSON.stringify(bridge)}, which ${badBridge}`,
        undefined,
        true,
      );
      return;
    }
    const resolved = resolveNode(name, index, kind, kindName.toLowerCase(), groupName, levels, {
      labName,
      labDir,
      prefix: raw.prefix,
      source,
      ctx,
      err,
      note: (m) => notes.push(m),
      mgmt,
      noProxy,
      pendingRemote,
      map,
    });
    nodes.push(resolved.node);
    if (resolved.startupConfig) startupConfigs.push(resolved.startupConfig);
  });
  warnUnhonoured(loaded, warnings);
  const kindCredentials = kindCredentialsOf(topo);
  const certificateAuthority = caSettingsOf(raw.settings?.["certificate-authority"], source.dir, err);
  return {
    lab: {
      name: labName,
      file: source.path,
      dir: source.dir,
      ...(source.remote ? { remote: source.remote } : {}),
      labDir,
      mgmt,
      nodes,
      links: [],
      notes,
      warnings,
      kindCredentials,
      ...(certificateAuthority ? { certificateAuthority } : {}),
    },
    startupConfigs,
    pendingRemote,
  };
}

/** `kinds:` entries name kinds lab knows (a near name suggested). */
function checkKindsSection(
  kinds: Record<string, unknown>,
  supported: string,
  err: (path: KeyPath, message: string, hint?: string, atKey?: boolean) => void,
): void {
  for (const kindName of Object.keys(kinds)) {
    if (findKind(kindName)) continue;
    const near = closest(kindName, allKindNames());
    err(
      ["topology", "kinds", kindName],
      `unknown kind "${kindName}"`,
      near ? `did you mean "${near}"?` : supported,
      true,
    );
  }
}

/** Credentials set on `kinds:` entries (by kind as written) and on `defaults:` (under "", which no kind has). */
function kindCredentialsOf(topo: LoadedTopology["raw"]["topology"]): LabModel["kindCredentials"] {
  const out: LabModel["kindCredentials"] = {};
  for (const [k, cfg] of Object.entries(topo.kinds ?? {}))
    if (cfg?.credentials)
      out[k.toLowerCase()] = { username: cfg.credentials.username, password: cfg.credentials.password };
  if (topo.defaults?.credentials)
    out[""] = { username: topo.defaults.credentials.username, password: topo.defaults.credentials.password };
  return out;
}

export interface NodeEnv {
  labName: string;
  labDir: string;
  prefix: string | undefined;
  source: LoadedTopology["source"];
  ctx: ResolveContext;
  err: (path: KeyPath, message: string, hint?: string, atKey?: boolean) => void;
  note: (message: string) => void;
  mgmt: MgmtModel;
  /** The lab's part of every node's no_proxy (no-proxy.ts). */
  /** The lab's NO_PROXY entries, joined. */
  noProxy: string;
  pendingRemote: Set<string>;
  map: LoadedTopology["map"];
}

/** A file the topology names, local or fetched; undefined while a URL is not fetched yet. */
export function localFile(e: NodeEnv, value: string): string | undefined {
  return remoteLocalFile({ dir: e.source.dir, fetched: e.ctx.remote, pending: e.pendingRemote }, value);
}

/**
 * Stage hooks as Containerlab merges them: each stage's `exec` list from defaults, kind, group, then
 * node, appended in that order. The {on-enter, on-exit} form (in Containerlab's schema) is read too.
 */
function stageExecs(levels: Level[], magic: (s: string) => string): StageExec[] {
  const out: StageExec[] = [];
  for (const l of [...levels].reverse()) {
    for (const stage of STAGES) {
      const exec = l.cfg.stages?.[stage]?.exec;
      if (!exec) continue;
      if (Array.isArray(exec)) {
        for (const x of exec)
          out.push({
            stage: stage as Stage,
            phase: x.phase,
            target: x.target ?? "container",
            command: magic(x.command),
          });
      } else {
        for (const phase of ["on-enter", "on-exit"] as const)
          for (const command of exec[phase] ?? [])
            out.push({ stage: stage as Stage, phase, target: "container", command: magic(command) });
      }
    }
  }
  return out;
}

/** Username and password from the most specific level that sets either; then the kind's defaults. */
/** `settings.certificate-authority`: CA files (relative to the topology) or how to make the lab's CA. */
function caSettingsOf(
  raw: { cert?: string; key?: string; "key-size"?: number; "validity-duration"?: string } | undefined,
  dir: string,
  err: (path: KeyPath, message: string, hint?: string) => void,
): CaSettings | undefined {
  if (!raw) return undefined;
  const path: KeyPath = ["settings", "certificate-authority"];
  const out: CaSettings = {};
  if (!!raw.cert !== !!raw.key)
    err(path, "a certificate authority needs both cert and key", "Give both, or neither to let lab make one");
  for (const key of ["cert", "key"] as const) {
    const value = raw[key];
    if (!value) continue;
    const file = resolvePath(dir, value);
    if (!existsSync(file))
      err([...path, key], `${file} does not exist`, "Fix the path (relative to the topology file)");
    out[key] = file;
  }
  if (raw["key-size"]) out.keySize = raw["key-size"];
  if (raw["validity-duration"]) {
    const ms = parseDuration(raw["validity-duration"]);
    if (ms === undefined || ms <= 0)
      err([...path, "validity-duration"], `${raw["validity-duration"]} is not a duration`, "e.g. 87600h");
    else out.validityMs = ms;
  }
  return out;
}

/**
 * `certificate:` merged as Containerlab's CertificateConfig.Merge: defaults, then kind, group and node,
 * each set field (issue, key-size, validity-duration, a non-empty sans) overriding. Kinds that always
 * use TLS (SR Linux) start from issue: true.
 */
function certificateOf(levels: Level[], forced: boolean, e: NodeEnv): CertificateSettings | undefined {
  let out: CertificateSettings | undefined = forced ? { issue: true, sans: [] } : undefined;
  for (const l of [...levels].reverse()) {
    const c = l.cfg.certificate;
    if (!c) continue;
    out ??= { issue: false, sans: [] };
    if (c.issue !== undefined && c.issue !== null) out.issue = c.issue === true || c.issue === "true";
    if (c["key-size"] && c["key-size"] > 0) out.keySize = c["key-size"];
    if (c["validity-duration"]) {
      const ms = parseDuration(c["validity-duration"]);
      if (ms === undefined || ms <= 0)
        e.err(
          [...l.path, "certificate", "validity-duration"],
          `${c["validity-duration"]} is not a duration`,
          "e.g. 8760h",
        );
      else out.validityMs = ms;
    }
    if (c.sans?.length) out.sans = c.sans;
  }
  return out?.issue ? out : undefined;
}

function credentialsOf(levels: Level[], kind: KindDef, e: NodeEnv): Credentials {
  const set = levels.find((l) => l.cfg.credentials?.username || l.cfg.credentials?.password);
  const identity = levels.find((l) => l.cfg.credentials?.["identity-file"])?.cfg.credentials?.["identity-file"];
  const creds: Credentials = {
    username: set?.cfg.credentials?.username || kind.credentials?.username,
    password: set?.cfg.credentials?.password || kind.credentials?.password,
    source: set ? set.level : kind.credentials ? "kind-default" : "none",
  };
  if (identity) creds.identityFile = hostPath(e.source.dir, identity);
  return creds;
}

/**
 * One node as Containerlab's NewNodeConfig and its kind's Init make it, step by step: what it
 * inherits, its env and binds (with licence and extras), type and card layout, command, labels,
 * the container's settings and stages, then the model, and its startup-config to render later.
 */
function resolveNode(
  name: string,
  index: number,
  kind: KindDef,
  kindName: string,
  group: string | undefined,
  levelList: Level[],
  e: NodeEnv,
): { node: NodeModel; startupConfig?: PendingStartupConfig } {
  const nodeDir = `${e.labDir}/${name}`;
  const magic = magicOf(name, nodeDir, e);
  const levels = new NodeLevels(levelList);
  const { first } = levels;
  const s: NodeScope = { name, index, kind, levels, e, nodeDir, magic };
  const parts = envAndBinds(s, levelList);
  const { env, binds, nodeType, credentials } = parts;
  const { placed, componentList } = layoutOf(s, parts);
  const cmd =
    first("cmd")?.value ??
    (typeof kind.cmd === "function"
      ? kind.cmd({ name, type: nodeType, env, components: componentList, credentials })
      : kind.cmd);
  const mgmtMac =
    kind.mgmtMac?.({ lab: e.labName, name, index }) ??
    (kind.mgmtMacOui ? stableMac(kind.mgmtMacOui, e.labName, name) : undefined);
  if (kind.mgmtMacEnv && mgmtMac) env[kind.mgmtMacEnv] ??= mgmtMac;
  // A kind that sets the entrypoint sets it over the node's, as Containerlab's Init does (SONiC).
  const entrypoint = kind.entrypoint ?? first("entrypoint")?.value;
  const labels = levels.merged("labels");
  const longName = longNameOf(e.prefix, e.labName, name);
  for (const [k, v] of Object.entries(labels)) env[`CLAB_LABEL_${k.replace(/[^A-Za-z0-9_]/g, "_").toUpperCase()}`] = v;

  const node: NodeModel = {
    name,
    ...hostOf(levelList, labels, e),
    longName,
    kind,
    kindName,
    type: nodeType,
    group,
    image: first("image")?.value ?? kind.defaultImage?.(nodeType ?? ""),
    pullPolicy: normalizePullPolicy(first("image-pull-policy")?.value),
    cmd: cmd ? shellSplit(magic(cmd)) : undefined,
    entrypoint: entrypoint ? shellSplit(magic(entrypoint)) : undefined,
    env,
    binds: binds.values,
    ports: portsOf(s),
    labels: {
      ...labels,
      containerlab: e.labName,
      "clab-node-name": name,
      "clab-node-longname": longName,
      "clab-node-kind": kindName,
      "clab-node-type": first("type")?.value ?? "",
      "clab-node-group": group ?? "",
      "clab-node-lab-dir": nodeDir,
      "clab-topo-file": e.source.path,
      "clab-owner": e.ctx.owner ?? "",
    },
    ...containerSettings(s),
    ...stagesOf(s, levelList),
    publish: publishOf(s, parsePublish),
    mgmtMac,
    mgmtIntf: parts.mgmtIntf,
    mgmtIpv4: str(first("mgmt-ipv4")?.value),
    mgmtIpv6: str(first("mgmt-ipv6")?.value),
    nodeDir,
    stopSignal: kind.stopSignal,
    files: [
      ...(kind.files?.({ lab: e.labName, name, mac: mgmtMac, type: nodeType }) ?? []).map((f) => ({
        ...f,
        path: `${nodeDir}/${f.path}`,
      })),
      ...parts.extraFiles,
      ...parts.licenseFiles,
    ],
    license: first("license") ? localFile(e, magic(first("license")?.value as string)) : undefined,
    index,
    fqdn: `${name}.${e.labName}.io`,
    configVars: configVarsOf(levelList, e),
    suppressStartupConfig: first("suppress-startup-config")?.value ?? false,
    certificate: certificateOf(levelList, kind.issuesCertificate ?? false, e),
    credentials,
  };
  if (placed) {
    if (placed.startupConfigs.length) node.startupConfigAt = placed.startupConfigs.map((p) => `${nodeDir}/${p}`);
    if (placed.containers) node.components = componentContainers(node, placed.containers, kind, magic);
  }
  if (componentList.length) node.componentList = componentList;
  const startupConfig = startupConfigOf(node, first, magic, e);
  return { node, startupConfig };
}

/** The node's env and binds: its own, the licence and extras, the kind's, its login and type's variables. */
function envAndBinds(s: NodeScope, levelList: Level[]) {
  const { kind, index, e } = s;
  const env = nodeEnvOf(s);
  const binds = new Binds(s);
  for (const b of s.levels.concat("binds")) binds.add(b.value, b.path);
  const licenseFiles = licenseOf(s, binds, (v) => localFile(e, v));
  for (const b of [...(kind.binds ?? []), ...(kind.indexBinds?.(index) ?? []), ...(kind.envBinds?.(env) ?? [])])
    binds.add(b, undefined);
  const mgmtIntf = mgmtIntfOf(s, binds);
  const extraFiles = extrasOf(s, binds);
  for (const [k, v] of Object.entries(kind.indexEnv?.(index) ?? {})) env[k] ??= v;
  // vrnetlab launchers take the node's login (the topology's credentials, else the kind's) from env.
  const credentials = credentialsOf(levelList, kind, e);
  if (kind.credentialEnv) {
    if (credentials.username !== undefined) env.USERNAME ??= credentials.username;
    if (credentials.password !== undefined) env.PASSWORD ??= credentials.password;
  }
  const nodeType = nodeTypeOf(s);
  if (kind.types && nodeType) for (const [k, v] of Object.entries(kind.typeEnv?.(nodeType) ?? {})) env[k] ??= v;
  return { env, binds, licenseFiles, mgmtIntf, extraFiles, credentials, nodeType };
}

/**
 * `components:` (SR-SIM): a standalone node's slot, card and MDAs as variables, or a distributed
 * chassis's containers, one per card; what the kind's layout adds goes into env and binds.
 */
function layoutOf(s: NodeScope, parts: ReturnType<typeof envAndBinds>) {
  const { kind, name, levels, e } = s;
  const { env, binds } = parts;
  const components = levels.first("components");
  const componentList = (components?.value ?? []) as Record<string, unknown>[];
  const layout = kind.layout?.({
    name,
    type: parts.nodeType ?? "",
    env,
    components: componentList,
    startupConfig: levels.first("startup-config")?.value,
  });
  if (layout && "error" in layout)
    e.err(components ? [...components.path] : levels.at, `node ${name}: ${layout.error}`);
  const placed = layout && !("error" in layout) ? layout : undefined;
  if (placed) {
    // Over the kind's defaults, under the node's own env (Containerlab's MergeStringMaps order).
    for (const [k, v] of Object.entries(placed.env)) if (env[k] === undefined || env[k] === kind.env?.[k]) env[k] = v;
    for (const b of placed.binds) binds.add(b, undefined);
  }
  return { placed, componentList };
}

/** lab.host places the node on another host (lab's multi-host deploy); where it is written, for errors. */
function hostOf(levelList: Level[], labels: Record<string, string>, e: NodeEnv): Pick<NodeModel, "host"> {
  const hostLevel = levelList.find((l) => l.cfg.labels?.[HOST_LABEL] !== undefined);
  const placedAt: KeyPath | undefined = hostLevel && [...hostLevel.path, "labels", HOST_LABEL];
  return placedAt && labels[HOST_LABEL]
    ? { host: { name: labels[HOST_LABEL] as string, at: e.map.at(placedAt, "") } }
    : {};
}

/** The container's settings, the node's over its kind's (Containerlab's NodeDefinition fields). */
function containerSettings(s: NodeScope) {
  const { kind, levels, magic } = s;
  const { first, concat, merged } = levels;
  return {
    user: first("user")?.value ?? kind.user,
    hostname: first("hostname")?.value,
    networkMode: first("network-mode")?.value,
    dns: first("dns")?.value,
    aliases: first("aliases")?.value ?? [],
    sysctls: { ...kind.sysctls, ...merged("sysctls") },
    capAdd: [...new Set([...concat("cap-add").map((x) => x.value), ...(kind.capAdd ?? [])])],
    devices: [...new Set([...concat("devices").map((x) => x.value), ...kindDevicesOf(s)])],
    memory: sizeOf(s, "memory") ?? defaultMemory(kind, first("image")?.value),
    cpu: first("cpu")?.value,
    cpuSet: first("cpu-set")?.value,
    shmSize: sizeOf(s, "shm-size") ?? (kind.shmSize ? parseSize(kind.shmSize) : undefined),
    restartPolicy: first("restart-policy")?.value?.toLowerCase() ?? kind.restartPolicy,
    privileged: first("privileged")?.value ?? true,
    healthcheck: healthcheckOf(s),
    tmpfs: { ...kind.tmpfs, ...(first("tmpfs")?.value ?? {}) },
    securityOpts: first("security-opts")?.value ?? [],
    pidMode: first("pid-mode")?.value,
    autoRemove: first("auto-remove")?.value ?? false,
    cgroupParent: first("cgroup-parent")?.value,
    cgroupnsMode: first("cgroupns-mode")?.value,
    volumes: concat("volumes").map((x) => magic(x.value)),
  } satisfies Partial<NodeModel>;
}

/** When the node starts and what runs in it: startup-delay, wait-for, exec, and the stages' commands. */
function stagesOf(s: NodeScope, levelList: Level[]) {
  return {
    startupDelay: s.levels.first("startup-delay")?.value ?? 0,
    waitFor: levelList.flatMap((l) =>
      STAGES.flatMap((stage) =>
        (l.cfg.stages?.[stage]?.["wait-for"] ?? []).map((w) => ({ node: w.node, stage: w.stage ?? "create" })),
      ),
    ),
    exec: s.levels.concat("exec").map((x) => s.magic(x.value)),
    stageExec: stageExecs(levelList, s.magic),
  } satisfies Partial<NodeModel>;
}

/** config.vars merge deeply from defaults up to the node, as Containerlab's MergeMaps does. */
function configVarsOf(levels: Level[], e: NodeEnv): Record<string, unknown> {
  let vars: Record<string, unknown> = {};
  for (const l of [...levels].reverse())
    if (l.cfg.config?.vars)
      vars = mergeVars(vars, e.map.goValue([...l.path, "config", "vars"])) as Record<string, unknown>;
  return vars;
}

/**
 * A distributed chassis's containers as Containerlab's setupComponentNodes makes them: each named
 * `<node>-<slot>`, with the node's settings, its own card variables and binds, labels naming it and
 * its root node; line cards do without the licence. The node itself becomes its last container.
 */
function componentContainers(
  node: NodeModel,
  list: ComponentContainer[],
  kind: KindDef,
  magic: (s: string) => string,
): NodeComponent[] {
  const license = kind.licensePath ? `:${kind.licensePath}:` : undefined;
  const out = list.map((c): NodeComponent => {
    const name = `${node.name}-${c.slot}`;
    const longName = `${node.longName}-${c.slot}`;
    return {
      name,
      longName,
      slot: c.slot,
      cpm: c.cpm,
      env: { ...node.env, ...c.env },
      binds: [...node.binds.filter((b) => c.cpm || !license || !b.includes(license)), ...c.binds.map(magic)],
      labels: {
        ...node.labels,
        "clab-node-name": name,
        "clab-node-longname": longName,
        "clab-root-node-name": node.name,
        "clab-root-node-longname": node.longName,
      },
    };
  });
  const own = out.at(-1) as NodeComponent;
  Object.assign(node, { longName: own.longName, env: own.env, binds: own.binds, labels: own.labels });
  return out;
}

function resolveMgmt(loaded: LoadedTopology, overrides: MgmtOverrides = {}): MgmtModel {
  const m = { ...loaded.raw.mgmt, ...(overrides.network ? { network: overrides.network } : {}) };
  const v4 = overrides.ipv4Subnet ?? m["ipv4-subnet"] ?? m.ipv4_subnet;
  const v6 = overrides.ipv6Subnet ?? m["ipv6-subnet"] ?? m.ipv6_subnet;
  // The default subnets apply only when neither is set.
  const useDefaults = v4 === undefined && v6 === undefined;
  return {
    network: m.network ?? DEFAULT_MGMT.network,
    bridge: m.bridge,
    ipv4Subnet: useDefaults ? DEFAULT_MGMT.ipv4Subnet : v4,
    ipv6Subnet: useDefaults ? DEFAULT_MGMT.ipv6Subnet : v6,
    ipv4Gw: m["ipv4-gw"],
    ipv6Gw: m["ipv6-gw"],
    ipv4Range: m["ipv4-range"],
    ipv6Range: m["ipv6-range"],
    mtu: m.mtu,
    externalAccess: m["external-access"] ?? true,
    driverOpts: Object.fromEntries(Object.entries(m["driver-opts"] ?? {}).map(([k, v]) => [k, String(v)])),
    skipWhenUnused: m["skip-when-unused"] ?? false,
  };
}

/** A kind's memory limit for its image's tag when the node sets none (Cumulus VX: by release). */
function defaultMemory(kind: KindDef, image: string | undefined): number | undefined {
  if (!kind.defaultMemory || !image) return undefined;
  const name = image.split("@")[0] as string;
  const colon = name.lastIndexOf(":");
  const tag = colon > name.lastIndexOf("/") ? name.slice(colon + 1) : "";
  return parseSize(kind.defaultMemory(tag));
}
