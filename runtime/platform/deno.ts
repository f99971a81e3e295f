import { spawnDetached } from "./detached.ts";
import { localHostFiles } from "./host-files.ts";
import { spawnLines, spawnStream } from "./lines.ts";
import type { FetchFn, PathKind, Platform, RunOptions, RunResult } from "./types.ts";

async function run(cmd: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const [program, ...args] = cmd;
  if (!program) throw new Error("run: empty command");
  const child = new Deno.Command(program, {
    args,
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    env: options.env,
    cwd: options.cwd,
    signal: options.signal,
  }).spawn();
  if (options.stdin !== undefined) {
    const data = typeof options.stdin === "string" ? new TextEncoder().encode(options.stdin) : options.stdin;
    const writer = child.stdin.getWriter();
    await writer.write(data);
    await writer.close();
  }
  const { code, stdout, stderr } = await child.output();
  return { code, stdout, stderr };
}

function kindOf(s: Deno.FileInfo): PathKind {
  if (s.isSymlink) return "symlink";
  if (s.isSocket) return "socket";
  if (s.isDirectory) return "directory";
  if (s.isFile) return "file";
  return "other";
}

export const denoPlatform: Platform = {
  name: "deno",
  version: Deno.version.deno,
  uid: Deno.uid() ?? 0,
  tlsFetch(options) {
    // Deno has no per-client switch to skip verification (only the process-wide
    // --unsafely-ignore-certificate-errors), so "insecure" here still verifies TLS and covers plain HTTP;
    // a self-signed registry needs --ca-file.
    if (!options.ca && !options.cert) return fetch;
    const client = Deno.createHttpClient({
      ...(options.ca ? { caCerts: [options.ca] } : {}),
      ...(options.cert && options.key ? { cert: options.cert, key: options.key } : {}),
    });
    return (input, init) => fetch(input, { ...init, client } as RequestInit);
  },
  unixFetch(socketPath: string): FetchFn {
    const client = Deno.createHttpClient({ proxy: { transport: "unix", path: socketPath } });
    return (input, init) => fetch(input, { ...init, client } as RequestInit);
  },
  run,
  host: "local",
  ...localHostFiles,
  readText: (path) => Deno.readTextFile(path),
  async writeText(path, data, options = {}) {
    await Deno.writeTextFile(path, data, { mode: options.mode });
    // writeTextFile's mode only applies on create; enforce it on an existing file too.
    if (options.mode !== undefined) await Deno.chmod(path, options.mode);
  },
  async stat(path) {
    try {
      const s = await Deno.lstat(path);
      return { kind: kindOf(s), mode: (s.mode ?? 0) & 0o777, size: s.size };
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return null;
      throw error;
    }
  },
  env: (name) => Deno.env.get(name),
  selfCommand: () => [Deno.execPath(), "run", "-A", new URL(Deno.mainModule).pathname],
  spawnDetached,
  spawnLines,
  spawnStream,
  async txChecksumOff(nsPath, ifnames) {
    // Loaded on first use: binding the C library is not paid by commands that make no links.
    const [{ denoLibc }, { txChecksumOff }] = await Promise.all([import("./deno-ffi.ts"), import("./ethtool.ts")]);
    return txChecksumOff(denoLibc(), nsPath, ifnames);
  },
};
