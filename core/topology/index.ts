import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { LabError } from "../errors.ts";
import { closest, type Diagnostic, topologyError } from "./diagnostics.ts";
import { dependencies, findCycle } from "./graph.ts";
import { cidrContains, parseCidr, parseIP } from "./ip.ts";
import { resolveLinks } from "./links.ts";
import { type LoadedTopology, parseTopology, readTopologySource, renderTopology } from "./load.ts";
import type { LabModel } from "./model.ts";
import { type FetchDeps, fetchRemoteFiles } from "./remote-source.ts";
import { type MgmtOverrides, type ResolveContext, resolveNodes } from "./resolve.ts";
import { renderStartupConfigs } from "./startup-config.ts";

export type { LabModel, LinkModel, NodeFile, NodeModel, StartupConfig } from "./model.ts";
export type { ResolveContext } from "./resolve.ts";
export { longNameOf } from "./resolve.ts";

export interface LoadOptions {
  /** `-t` value: a path, "-" for stdin, or undefined to find the one *.clab.yml in cwd. */
  file?: string;
  /** `--vars` (repeatable): variables for a templated topology (else `<topology>_vars.*` beside it). */
  varsFiles?: string[];
  /** `--export-rendered FILE`: where to write the topology as rendered, before it is parsed. */
  exportRendered?: string;
  /** Picks one of several topology files found in the directory. */
  choose?: (files: string[]) => Promise<string>;
  /** How remote startup-configs, licences and topologies are fetched. */
  fetch?: FetchDeps;
  /** Runs git (for `-t` repository URLs). */
  git?: (args: string[], cwd: string) => Promise<{ code: number; stdout: string; stderr: string }>;
  cwd: string;
  env: Record<string, string | undefined>;
  readStdin: () => Promise<string>;
  owner?: string;
  publishLimits?: { tcp: number; http: number };
  /** deploy's --network, --ipv4-subnet and --ipv6-subnet. */
  mgmt?: MgmtOverrides;
}

/** Reads, parses, resolves and checks a topology; every problem in the file is reported at once. */
export async function loadLab(options: LoadOptions): Promise<LabModel> {
  const source = await readTopologySource(options.file, options.cwd, options.readStdin, {
    varsFiles: options.varsFiles,
    choose: options.choose,
    remote:
      options.fetch && options.git
        ? { fetch: options.fetch.fetch, git: options.git, env: options.fetch.env }
        : undefined,
  });
  const rendered = renderTopology(source, options.env);
  if (options.exportRendered) {
    // Written before parsing, as Containerlab does, so a rendering that is not valid YAML can be read.
    await writeFile(options.exportRendered, rendered).catch((error) => {
      throw new LabError("usage", `cannot write ${options.exportRendered}: ${(error as Error).message}`);
    });
  }
  const loaded = parseTopology(source, options.env, rendered);
  const ctx: ResolveContext = {
    env: options.env,
    owner: options.owner,
    publishLimits: options.publishLimits,
    mgmt: options.mgmt,
  };
  const first = resolveLabWithPending(loaded, ctx);
  if (!first.pendingRemote.size) return first.lab;
  // Remote startup-configs and licences are fetched once, then the lab is resolved with them.
  if (!options.fetch)
    throw new LabError(
      "usage",
      `the topology names remote files (${[...first.pendingRemote].join(", ")}) and this command cannot fetch them`,
    );
  const remote = await fetchRemoteFiles(first.pendingRemote, options.fetch);
  return resolveLab(parseTopology(source, options.env, rendered), { ...ctx, remote });
}

/**
 * A topology given as text, checked as the file at `path` would be (the graph editor's document
 * before it is saved). Remote startup-configs and licences are not fetched: a deploy loads the
 * saved file with loadLab.
 */
export function labFromText(path: string, text: string, ctx: ResolveContext): LabModel {
  const source = { path, dir: dirname(path), text, templates: [] };
  return resolveLabWithPending(parseTopology(source, ctx.env, renderTopology(source, ctx.env)), ctx).lab;
}

export function resolveLab(loaded: LoadedTopology, ctx: ResolveContext): LabModel {
  const { lab } = resolveLabWithPending(loaded, ctx);
  return lab;
}

/** Resolves the lab; remote files not fetched yet are listed instead of checked. */
export function resolveLabWithPending(
  loaded: LoadedTopology,
  ctx: ResolveContext,
): { lab: LabModel; pendingRemote: Set<string> } {
  const diagnostics: Diagnostic[] = [...loaded.diagnostics];
  const { lab, startupConfigs, pendingRemote } = resolveNodes(loaded, ctx, diagnostics);
  const declared = new Set(Object.keys(loaded.raw.topology.nodes ?? {}));
  lab.links = resolveLinks(loaded.links, lab.nodes, loaded.map, diagnostics, declared, lab.warnings);
  addLinkFiles(lab);
  for (const node of lab.nodes) {
    if (node.kind.role === "container" && !node.image) {
      diagnostics.push(
        loaded.map.at(
          ["topology", "nodes", node.name],
          `node ${node.name} has no image`,
          "Set image: on the node, its group, its kind or defaults",
          true,
        ),
      );
    }
  }
  if (!pendingRemote.size) renderStartupConfigs(lab, startupConfigs, loaded.map, ctx.env, diagnostics);
  checkStaticAddresses(lab, loaded, diagnostics);
  checkPublishLimits(lab, loaded, diagnostics, ctx.publishLimits ?? { tcp: 5, http: 10 });
  checkDependencies(lab, loaded, diagnostics);
  if (diagnostics.length) throw topologyError(diagnostics);
  return { lab, pendingRemote };
}

/** Files a kind makes from the node's links (IOL's NETMAP), now that the links are known. */
function addLinkFiles(lab: LabModel): void {
  for (const node of lab.nodes) {
    if (!node.kind.linkFiles) continue;
    const ifaces: { iface: string; ipv4?: string; ipv6?: string }[] = [];
    for (const l of lab.links) {
      const ends = l.type === "veth" || l.type === "veth-stitch" ? [l.a, l.b] : "endpoint" in l ? [l.endpoint] : [];
      for (const ep of ends) if (ep.node === node.name) ifaces.push({ iface: ep.iface, ipv4: ep.ipv4, ipv6: ep.ipv6 });
    }
    for (const f of node.kind.linkFiles({ index: node.index, ifaces }))
      node.files.push({ ...f, path: `${node.nodeDir}/${f.path}` });
    node.firstBoot = !node.files.some((f) => f.keep && existsSync(f.path));
  }
}

function checkStaticAddresses(lab: LabModel, loaded: LoadedTopology, diagnostics: Diagnostic[]): void {
  const seen = new Map<string, string>();
  const subnets = { 4: lab.mgmt.ipv4Subnet, 6: lab.mgmt.ipv6Subnet } as const;
  for (const [key, cidrText] of [
    ["ipv4-subnet", lab.mgmt.ipv4Subnet],
    ["ipv6-subnet", lab.mgmt.ipv6Subnet],
  ] as const) {
    if (cidrText && cidrText !== "auto" && !parseCidr(cidrText)) {
      diagnostics.push(loaded.map.at(["mgmt", key], `"${cidrText}" is not a subnet in CIDR form`));
    }
  }
  for (const node of lab.nodes) {
    for (const [family, key, addr] of [
      [4, "mgmt-ipv4", node.mgmtIpv4],
      [6, "mgmt-ipv6", node.mgmtIpv6],
    ] as const) {
      if (!addr) continue;
      const path = ["topology", "nodes", node.name, key];
      const ip = parseIP(addr);
      if (!ip || ip.family !== family) {
        diagnostics.push(loaded.map.at(path, `"${addr}" is not an IPv${family} address`));
        continue;
      }
      const subnetText = subnets[family];
      const subnet = subnetText ? parseCidr(subnetText) : undefined;
      if (!subnetText) {
        diagnostics.push(
          loaded.map.at(
            path,
            `${key} ${addr} is set but the management network has no IPv${family} subnet`,
            `Set mgmt.ipv${family}-subnet`,
          ),
        );
      } else if (subnet && !cidrContains(subnet, ip)) {
        diagnostics.push(
          loaded.map.at(
            path,
            `${key} ${addr} is outside the management subnet ${subnetText}`,
            `Pick an address in ${subnetText} or change mgmt.ipv${family}-subnet`,
          ),
        );
      }
      const other = seen.get(`${family}:${ip.value}`);
      if (other)
        diagnostics.push(
          loaded.map.at(
            path,
            `${key} ${addr} is also the address of node ${other}`,
            "Static management addresses must be unique",
          ),
        );
      else seen.set(`${family}:${ip.value}`, node.name);
    }
  }
}

function checkDependencies(lab: LabModel, loaded: LoadedTopology, diagnostics: Diagnostic[]): void {
  const names = lab.nodes.map((n) => n.name);
  for (const node of lab.nodes) {
    for (const w of node.waitFor) {
      if (!names.includes(w.node)) {
        const near = closest(w.node, names);
        diagnostics.push(
          loaded.map.at(
            ["topology", "nodes", node.name, "stages"],
            `wait-for names unknown node "${w.node}"`,
            near ? `did you mean "${near}"?` : undefined,
          ),
        );
      }
    }
  }
  const cycle = findCycle(dependencies(lab.nodes));
  if (cycle) {
    diagnostics.push(
      loaded.map.at(
        ["topology", "nodes", cycle[0] as string],
        `dependency cycle: ${cycle.join(" → ")}`,
        "Remove one of the wait-for entries (static-IP nodes always start before dynamic ones)",
      ),
    );
  }
}

/** The mysocket account limits (5 tcp-based, 10 http-based by default), checked before any API call. */
function checkPublishLimits(
  lab: LabModel,
  loaded: LoadedTopology,
  diagnostics: Diagnostic[],
  limits: { tcp: number; http: number },
) {
  let tcp = 0;
  let http = 0;
  for (const node of lab.nodes) {
    for (const entry of node.publish) {
      const isTcp = entry.type === "tcp" || entry.type === "tls";
      if (isTcp) tcp++;
      else http++;
      if ((isTcp && tcp === limits.tcp + 1) || (!isTcp && http === limits.http + 1)) {
        const kind = isTcp ? "tcp" : "http";
        diagnostics.push(
          loaded.map.at(
            ["topology", "nodes", node.name, "publish"],
            `publish ${entry.spec} exceeds the account limit of ${isTcp ? limits.tcp : limits.http} ${kind}-based sockets`,
            `Publish fewer ports, or pass --max-${kind} to lab share for a bigger plan`,
          ),
        );
      }
    }
  }
}
