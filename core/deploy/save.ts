import { mkdir, rm, symlink, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import type { Platform } from "../../runtime/platform/index.ts";
import { LabError } from "../errors.ts";
import type { HostSet } from "../hosts/hosts.ts";
import { findKind, type KindDef } from "../kinds/index.ts";
import { type NetconfTarget, saveRunningConfig, sshCliCommand, sshCliSession } from "../ssh/netconf.ts";
import { runningNodes } from "./exec.ts";
import { controlContainers, type LabContainer } from "./inspect.ts";
import { mapLimit } from "./pool.ts";

export interface SaveResult {
  node: string;
  container: string;
  kind: string;
  status: "saved" | "failed" | "skipped";
  /** The command's output, or why the node was skipped. */
  detail: string;
  /** With `--copy`: where the saved config was copied (the timestamped file). */
  copied?: string;
}

/** The node-dir file a kind's save leaves behind, if it reports one. */
export function savedConfigPath(kind: KindDef, env: Record<string, string>): string | undefined {
  const own = typeof kind.savedConfig === "function" ? kind.savedConfig(env) : kind.savedConfig;
  return own ?? (kind.saveCli ? kind.startupConfig : undefined);
}

/** `config.json` at 2026-02-06 23:59:00 UTC → `config-260206_235900.json`, as Containerlab names copies. */
export function timestamped(name: string, at: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  const ts = `${p(at.getUTCFullYear() % 100)}${p(at.getUTCMonth() + 1)}${p(at.getUTCDate())}_${p(at.getUTCHours())}${p(at.getUTCMinutes())}${p(at.getUTCSeconds())}`;
  const dot = name.lastIndexOf(".");
  return dot > 0 ? `${name.slice(0, dot)}-${ts}${name.slice(dot)}` : `${name}-${ts}`;
}

/**
 * `--copy`: the saved file, read on the node's host, lands here as <dst>/<node>/<name>-<time><ext>,
 * with <name> a symlink to the newest copy (Containerlab's copySavedConfig).
 */
async function copySaved(c: LabContainer, path: string, platform: Platform, dst: string): Promise<string> {
  const r = await platform.run(["cat", path]);
  if (r.code !== 0) throw new LabError("internal", `cannot read ${path}: ${text(r.stderr)}`);
  const dir = join(dst, c.node);
  await mkdir(dir, { recursive: true });
  const name = basename(path);
  const copy = timestamped(name, new Date());
  await writeFile(join(dir, copy), r.stdout);
  await rm(join(dir, name), { force: true });
  await symlink(copy, join(dir, name));
  return join(dir, copy);
}

type Saver = (
  c: LabContainer,
  kind: KindDef,
  host: { platform: Platform; exec: ExecFn; env: () => Promise<Record<string, string>> },
) => Promise<SaveResult>;
type ExecFn = (cmd: string[]) => Promise<{ exitCode: number; stdout: Uint8Array; stderr: Uint8Array }>;

const text = (b: Uint8Array) => new TextDecoder().decode(b).trim();
const base = (c: LabContainer) => ({ node: c.node, container: c.name, kind: c.kind });
const failed = (c: LabContainer, error: unknown): SaveResult => ({
  ...base(c),
  status: "failed",
  detail: error instanceof LabError ? error.message : String(error),
});

/** The node's management address and the kind's login, for NETCONF and SSH CLI saves. */
function loginOf(c: LabContainer, kind: KindDef): NetconfTarget | undefined {
  const host = c.ipv4.split("/")[0] || c.ipv6.split("/")[0];
  if (!host) return undefined;
  return { host, username: kind.credentials?.username ?? "admin", password: kind.credentials?.password ?? "admin" };
}

/** Writes a saved configuration into the node dir on the node's host. */
async function writeSaved(platform: Platform, path: string, config: string): Promise<void> {
  const r = await platform.run(["sh", "-c", 'mkdir -p "$(dirname "$1")" && cat > "$1"', "sh", path], { stdin: config });
  if (r.code !== 0) throw new LabError("internal", `cannot write ${path}: ${text(r.stderr)}`);
}

/** How each kind saves, as Containerlab's SaveConfig for it does; the first that applies. */
const SAVERS: [(k: KindDef) => boolean, Saver][] = [
  // XRd: NETCONF copy-config running → startup.
  [
    (k) => !!k.saveNetconf,
    async (c, kind, host) => {
      const login = loginOf(c, kind);
      if (!login) return { ...base(c), status: "failed", detail: "no management address to reach NETCONF on" };
      try {
        const lines = kind.saveCliLines?.(await host.env());
        if (lines) {
          await sshCliSession(login, lines);
          return { ...base(c), status: "saved", detail: lines.join("; ") };
        }
        await saveRunningConfig(login);
        return { ...base(c), status: "saved", detail: "NETCONF copy-config running → startup" };
      } catch (error) {
        return failed(c, error);
      }
    },
  ],
  // vrnetlab: the running config read over the NOS's SSH CLI, written where the VM boots from.
  [
    (k) => !!k.saveCli && !!k.startupConfig,
    async (c, kind, host) => {
      const login = loginOf(c, kind);
      if (!login) return { ...base(c), status: "failed", detail: "no management address to reach SSH on" };
      const path = `${c.labDir}/${c.node}/${kind.startupConfig}`;
      try {
        const config = await sshCliCommand(login, kind.saveCli as string);
        await writeSaved(host.platform, path, kind.saveFilter ? kind.saveFilter(config) : config);
        return { ...base(c), status: "saved", detail: `"${kind.saveCli}" written to ${path}` };
      } catch (error) {
        return failed(c, error);
      }
    },
  ],
  // IOL: a command over the NOS's SSH CLI that saves in place.
  [
    (k) => !!k.saveSsh,
    async (c, kind) => {
      const login = loginOf(c, kind);
      if (!login) return { ...base(c), status: "failed", detail: "no management address to reach SSH on" };
      try {
        const out = await sshCliCommand(login, kind.saveSsh as string);
        return { ...base(c), status: "saved", detail: out.trim() || `"${kind.saveSsh}" done` };
      } catch (error) {
        return failed(c, error);
      }
    },
  ],
  // cRPD: a command's output written into the node dir.
  [
    (k) => !!k.saveOutput && !!k.saveCommand,
    async (c, kind, host) => {
      const r = await host.exec(kind.saveCommand as string[]);
      if (r.exitCode !== 0 || text(r.stderr))
        return { ...base(c), status: "failed", detail: text(r.stderr) || `exit code ${r.exitCode}` };
      const path = `${c.labDir}/${c.node}/${kind.saveOutput}`;
      try {
        await writeSaved(host.platform, path, new TextDecoder().decode(r.stdout));
        return { ...base(c), status: "saved", detail: `written to ${path}` };
      } catch (error) {
        return failed(c, error);
      }
    },
  ],
  // Most container NOSes: a command that saves in place (cEOS wr, SR Linux tools … save).
  [
    (k) => !!k.saveCommand,
    async (c, kind, host) => {
      const r = await host.exec(kind.saveCommand as string[]);
      const detail = [text(r.stdout), text(r.stderr)].filter(Boolean).join("\n");
      return { ...base(c), status: r.exitCode === 0 ? "saved" : "failed", detail };
    },
  ],
];

/**
 * `lab save`: each running node writes its running configuration where it boots from, the way
 * Containerlab's SaveConfig does it for its kind (a command in the container, NETCONF, or the NOS's
 * SSH CLI). lab keeps such a config over a redeploy, so save, down, up brings the lab back as it
 * was. Kinds without a way to save are reported as skipped.
 */
export async function saveLab(
  hosts: HostSet,
  lab: string,
  nodes: string[] | undefined,
  workers: number,
  /** Copy each saved config under this directory (its lab-dir name as a subdirectory). */
  copyTo?: string,
): Promise<SaveResult[]> {
  // A distributed chassis saves once, through its active control card.
  const containers = controlContainers(await runningNodes(hosts, lab, nodes));
  return mapLimit(containers, workers, async (c): Promise<SaveResult> => {
    const kind = findKind(c.kind);
    const saver = kind && SAVERS.find(([applies]) => applies(kind))?.[1];
    if (!kind || !saver) return { ...base(c), status: "skipped", detail: `kind ${c.kind} has no save command` };
    const host = hosts.get(c.host);
    // Read once, when a saver or the copy first asks.
    let envRead: Promise<Record<string, string>> | undefined;
    const env = () => {
      envRead ??= host.docker.containers
        .inspect(c.id)
        .then((i) => Object.fromEntries((i.Config.Env ?? []).map((e) => e.split(/=(.*)/s).slice(0, 2))));
      return envRead;
    };
    const result = await saver(c, kind, {
      platform: host.platform,
      exec: (cmd) => host.docker.exec.run(c.id, cmd),
      env,
    });
    const saved = result.status === "saved" && copyTo ? savedConfigPath(kind, await env()) : undefined;
    if (!saved || !copyTo) return result;
    try {
      const dst = join(copyTo, basename(c.labDir));
      return { ...result, copied: await copySaved(c, `${c.labDir}/${c.node}/${saved}`, host.platform, dst) };
    } catch (error) {
      return { ...result, status: "failed", detail: `saved, but not copied: ${(error as Error).message}` };
    }
  });
}
