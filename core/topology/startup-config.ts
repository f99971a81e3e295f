import { existsSync, readFileSync } from "node:fs";
import { renderTemplate, TemplateError } from "../gotemplate/index.ts";
import { userPublicKeys } from "../ssh/pubkeys.ts";
import type { Diagnostic, KeyPath, SourceMap } from "./diagnostics.ts";
import { expandEnv } from "./envsubst.ts";
import type { LabModel, NodeModel } from "./model.ts";
import { nodeConfigData } from "./node-data.ts";
import { localFile } from "./remote-source.ts";
import type { NodeEnv } from "./resolve.ts";
import type { RawNode } from "./schema.ts";

/** A node's startup-config as read from the topology, before it is rendered. */
export interface PendingStartupConfig {
  node: NodeModel;
  path: KeyPath;
  /** The file it came from (for messages), or undefined for an inline configuration. */
  file?: string;
  text: string;
  enforce: boolean;
  origin: string;
}

type First = <K extends keyof RawNode>(key: K) => { value: NonNullable<RawNode[K]>; path: KeyPath } | undefined;

/**
 * `startup-config:` as Containerlab reads it: the configuration itself when the value spans lines,
 * else a file relative to the topology or a URL (fetched beforehand). Checked here; rendered by
 * renderStartupConfigs once the links (and their addresses) are known.
 */
export function startupConfigOf(
  node: NodeModel,
  first: First,
  magic: (s: string) => string,
  e: NodeEnv,
): PendingStartupConfig | undefined {
  const entry = first("startup-config");
  const enforce = first("enforce-startup-config");
  if (enforce?.value && node.suppressStartupConfig) {
    e.err(enforce.path, "enforce-startup-config and suppress-startup-config cannot both be set", "Drop one of them");
    return undefined;
  }
  if (!entry) {
    if (enforce?.value) e.err(enforce.path, "enforce-startup-config is set but the node has no startup-config");
    return undefined;
  }
  const value = magic(entry.value);
  const inline = value.includes("\n");
  const origin = inline ? "inline" : value;
  if (node.suppressStartupConfig) {
    e.note(`node ${node.name}: suppress-startup-config is set; the startup-config is not placed`);
    return undefined;
  }
  if (inline) return { node, path: entry.path, text: value, enforce: !!enforce?.value, origin };
  const file = localFile({ dir: e.source.dir, fetched: e.ctx.remote, pending: e.pendingRemote }, value);
  if (!file) return undefined;
  if (!existsSync(file)) {
    e.err(entry.path, `startup-config ${file} does not exist`, "Fix the path (relative to the topology file)");
    return undefined;
  }
  return { node, path: entry.path, file, text: readFileSync(file, "utf8"), enforce: !!enforce?.value, origin };
}

/**
 * Renders each startup-config as Containerlab does (environment expansion, then the Go template
 * over the node's NodeConfig) and puts it where the kind boots from. Kinds that read none (linux)
 * get a note, as do SR Linux CLI snippets, which Containerlab pushes over the CLI after boot.
 */
export function renderStartupConfigs(
  lab: LabModel,
  pending: PendingStartupConfig[],
  map: SourceMap,
  env: Record<string, string | undefined>,
  diagnostics: Diagnostic[],
): void {
  for (const p of pending) {
    const { node } = p;
    if (node.kind.startupConfigRaw) {
      node.startupRaw = { text: expandEnv(p.text, env), file: p.file };
      continue;
    }
    if (!node.kind.startupConfig && !node.kind.initConfig) {
      lab.notes.push(`node ${node.name}: kind ${node.kind.name} reads no startup-config; it is not used`);
      continue;
    }
    node.startupConfig = { ...targetsOf(node), enforce: p.enforce, origin: p.origin };
    if (node.kind.startupConfigVerbatim) {
      if (p.file) node.startupConfig.source = p.file;
      else node.startupConfig.text = p.text;
      continue;
    }
    let text: string;
    const partialIntoDefault = node.kind.partialIntoDefault && node.kind.defaultConfig && p.file?.includes(".partial");
    const own = expandEnv(p.text, env);
    const template = partialIntoDefault ? `${defaultConfigOf(node, env)}${own}` : own;
    // Rendered again at deploy, once the certificate exists, for .TLSCert, .TLSKey and .TLSAnchor.
    if (node.certificate?.issue) node.startupConfig.template = template;
    try {
      text = renderTemplate(template, nodeConfigData(node, lab), "startup-config");
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      node.startupConfig = undefined;
      diagnostics.push(
        map.at(p.path, `startup-config ${p.file ?? "(inline)"}:${error.line}: template: ${error.message}`),
      );
      continue;
    }
    // Kinds that make their configuration at deploy take the startup-config as one of its inputs.
    if (node.kind.initConfig) {
      node.startupConfig = undefined;
      node.startupCli = text;
      continue;
    }
    if (node.kind.partialConfigs && p.file?.includes(".partial")) {
      node.startupConfig = undefined;
      node.startupCli = text;
      continue;
    }
    if (node.kind.startupConfigJson && !text.trimStart().startsWith("{")) {
      node.startupConfig = undefined;
      // CLI snippets: the kind's post-deploy applies them once the NOS runs (SR Linux).
      if (node.kind.startupConfigCli) {
        node.startupCli = text;
        continue;
      }
      lab.notes.push(
        `node ${node.name}: the startup-config is not a JSON configuration; lab places full JSON configs only (CLI snippets are not applied)`,
      );
      continue;
    }
    node.startupConfig.text = text;
  }
  // Kinds that boot unreachable without one get their default configuration (kept over a redeploy
  // like a saved one: the file already there wins unless enforce-startup-config).
  const given = new Set(pending.map((p) => p.node));
  for (const node of lab.nodes) {
    const { kind } = node;
    if (given.has(node) || kind.defaultConfig === undefined || !kind.startupConfig || node.suppressStartupConfig)
      continue;
    const template = defaultConfigOf(node, env);
    const text = renderTemplate(template, nodeConfigData(node, lab), `${kind.name} default config`);
    node.startupConfig = { ...targetsOf(node), enforce: false, origin: "", text };
    if (node.certificate?.issue) node.startupConfig.template = template;
  }
}

/** Where the node's startup-config goes: its layout's places (each control card's), else the kind's. */
function targetsOf(node: NodeModel): { target: string; alsoAt?: string[] } {
  const [target, ...rest] = node.startupConfigAt ?? [
    `${node.nodeDir}/${node.kind.startupConfig ?? node.kind.initConfig?.path}`,
  ];
  return { target: target as string, ...(rest.length ? { alsoAt: rest } : {}) };
}

/** The kind's default configuration (a Go template) for this node. */
function defaultConfigOf(node: NodeModel, env: Record<string, string | undefined>): string {
  const def = node.kind.defaultConfig ?? "";
  if (typeof def === "string") return def;
  return def({
    name: node.name,
    type: node.type ?? "",
    env: node.env,
    components: node.componentList ?? [],
    secure: !!node.certificate?.issue,
    sshKeys: userPublicKeys(env.HOME),
  });
}
