import { createPrivateKey } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { chmod, chown, copyFile, mkdir, rm, symlink, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { DockerClient } from "../../runtime/docker/index.ts";
import type { Platform } from "../../runtime/platform/index.ts";
import type { NodeTls } from "../cert/issue.ts";
import { LabError } from "../errors.ts";
import { renderTemplate } from "../gotemplate/index.ts";
import type { Host } from "../hosts/hosts.ts";
import { firstRegularFile } from "../registry/tar.ts";
import { userPublicKeys } from "../ssh/pubkeys.ts";
import type { LabModel, NodeFile, NodeModel, StartupConfig } from "../topology/index.ts";
import { nodeConfigData } from "../topology/node-data.ts";
import type { ContainerStep, DeployPlan } from "./plan.ts";
import type { Reporter } from "./reporter.ts";

// The files a node's container starts from: the lab dir and node dirs made, files written (or
// kept), the startup-config placed, the certificate where the kind reads it, files taken from the
// image, and all of it shipped to the host that runs the node.

/** Node dirs, and the lab-dir bind sources that are directories (lab writes the files among them itself). */
export async function prepareLabDir(lab: LabModel, plan: DeployPlan, platform: Platform): Promise<void> {
  for (const n of lab.nodes) {
    await mkdir(n.nodeDir, { recursive: true });
    if (n.kind.nodeDirGroup !== undefined) await shareNodeDir(n.nodeDir, n.kind.nodeDirGroup, platform);
  }
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
}

/** Writes (or copies) a file into the node dir; a `keep` file already there stays. False when kept. */
export async function writeNodeFile(file: NodeFile): Promise<boolean> {
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
export async function writeInitConfig(node: NodeModel, platform: Platform): Promise<void> {
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
export async function writeTlsFiles(node: NodeModel, tls: NodeTls | undefined): Promise<void> {
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
export async function placeStartupConfig(
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

/**
 * Files the topology references travel with a node placed on another host: its node dir and the
 * bind sources beside the topology (or in the lab dir), copied to the same paths there. Host paths
 * elsewhere (/lib/modules, a socket) are that host's own.
 */
export async function shipNodeFiles(step: ContainerStep, lab: LabModel, local: Platform, host: Host): Promise<void> {
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

/** Files the kind takes from the image (read from the created container), into the node dir. */
export async function copyImageFiles(node: NodeModel, id: string, docker: DockerClient, reporter: Reporter) {
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
