import type ssh2 from "ssh2";
import { LabError } from "../errors.ts";
import type { TxOffResult } from "../platform/ethtool.ts";
import type { PathKind, Platform, RunOptions, RunResult } from "../platform/types.ts";
import { shellLine, shellQuote } from "../quote.ts";
import { sshExec, sshLines, sshStream } from "./ssh-exec.ts";

/**
 * A remote host as a Platform: its commands (ip, tc, iptables, nsenter) and its host-side files
 * (/run/netns, /sys/class/net, /proc) go over one SSH connection; what is not about the host (fetch,
 * env, spawning lab itself) stays with `local`. One exec channel per call: callers batch (ip -batch).
 */
export function sshPlatform(local: Platform, client: ssh2.Client, host: string): Platform {
  const run = async (cmd: readonly string[], options: RunOptions = {}): Promise<RunResult> => {
    const env = Object.entries(options.env ?? {}).map(([k, v]) => `${k}=${shellQuote(v)}`);
    const line = `${options.cwd ? `cd ${shellQuote(options.cwd)} && ` : ""}${env.length ? `env ${env.join(" ")} ` : ""}${shellLine(cmd)}`;
    const r = await sshExec(client, line, options.stdin, options.signal);
    return { code: r.code, stdout: new Uint8Array(r.stdout), stderr: new Uint8Array(r.stderr) };
  };
  const sh = (script: string, stdin?: string | Uint8Array) => sshExec(client, script, stdin);
  const ok = async (script: string) => (await sh(script)).code === 0;
  const text = (b: Buffer) => b.toString("utf8");
  return {
    ...local,
    host,
    run,
    async readText(path) {
      const r = await sh(`cat -- ${shellQuote(path)}`);
      if (r.code !== 0) throw new LabError("remote", `${host}: cannot read ${path}: ${text(r.stderr).trim()}`);
      return text(r.stdout);
    },
    async writeText(path, data, options = {}) {
      const mode = options.mode !== undefined ? ` && chmod ${options.mode.toString(8)} ${shellQuote(path)}` : "";
      const r = await sh(`cat > ${shellQuote(path)}${mode}`, data);
      if (r.code !== 0) throw new LabError("remote", `${host}: cannot write ${path}: ${text(r.stderr).trim()}`);
    },
    async stat(path) {
      const r = await sh(`stat -c '%F|%a|%s' -- ${shellQuote(path)}`);
      if (r.code !== 0) return null;
      const [type = "", mode = "0", size = "0"] = text(r.stdout).trim().split("|");
      const kind: PathKind = type.includes("symbolic")
        ? "symlink"
        : type.includes("socket")
          ? "socket"
          : type.includes("directory")
            ? "directory"
            : type.includes("regular")
              ? "file"
              : "other";
      return { kind, mode: Number.parseInt(mode, 8), size: Number(size) };
    },
    exists: (path) => ok(`test -e ${shellQuote(path)}`),
    async list(dir) {
      const r = await sh(`ls -1A -- ${shellQuote(dir)} 2>/dev/null`);
      return r.code === 0 ? text(r.stdout).split("\n").filter(Boolean) : [];
    },
    async mkdirp(dir, mode) {
      await sh(`mkdir -p ${mode !== undefined ? `-m ${mode.toString(8)} ` : ""}-- ${shellQuote(dir)}`);
    },
    async remove(path) {
      await sh(`rm -rf -- ${shellQuote(path)}`);
    },
    async symlink(target, path) {
      const dir = path.slice(0, path.lastIndexOf("/")) || "/";
      const r = await sh(`mkdir -p ${shellQuote(dir)} && ln -sfn -- ${shellQuote(target)} ${shellQuote(path)}`);
      if (r.code !== 0) throw new LabError("remote", `${host}: cannot link ${path}: ${text(r.stderr).trim()}`);
    },
    async readlink(path) {
      const r = await sh(`readlink -- ${shellQuote(path)}`);
      return r.code === 0 ? text(r.stdout).trim() : undefined;
    },
    spawnLines: (cmd, onLine, signal) => sshLines(client, shellLine(cmd), onLine, signal),
    spawnStream: (cmd, onData, signal, onStderr) => sshStream(client, shellLine(cmd), onData, signal, onStderr),
    // No FFI over SSH: ethtool in the namespace does the same ioctl.
    async txChecksumOff(nsPath, ifnames): Promise<TxOffResult[]> {
      const enter = nsPath ? `nsenter --net=${shellQuote(nsPath)} ` : "";
      const script = ifnames
        .map((i) => `${enter}ethtool -K ${shellQuote(i)} tx off >/dev/null 2>&1 || echo ${shellQuote(i)}`)
        .join("; ");
      const r = await sh(script || "true");
      const failed = new Set(text(r.stdout).split("\n").filter(Boolean));
      return ifnames.map((ifname) =>
        failed.has(ifname) ? { ifname, error: `ethtool -K ${ifname} tx off failed on ${host}` } : { ifname },
      );
    },
  };
}
