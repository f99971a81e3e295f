import { chmod, lstat } from "node:fs/promises";
import { spawnDetached } from "./detached.ts";
import { localHostFiles } from "./host-files.ts";
import { spawnLines, spawnStream } from "./lines.ts";
import type { FetchFn, PathKind, Platform, RunOptions, RunResult } from "./types.ts";

async function run(cmd: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const proc = Bun.spawn([...cmd], {
    stdin: options.stdin === undefined ? "ignore" : new Blob([options.stdin as BlobPart]),
    stdout: "pipe",
    stderr: "pipe",
    env: options.env ? { ...process.env, ...options.env } : undefined,
    cwd: options.cwd,
    signal: options.signal,
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).bytes(),
    new Response(proc.stderr).bytes(),
    proc.exited,
  ]);
  return { code, stdout, stderr };
}

function kindOf(s: Awaited<ReturnType<typeof lstat>>): PathKind {
  if (s.isSymbolicLink()) return "symlink";
  if (s.isSocket()) return "socket";
  if (s.isDirectory()) return "directory";
  if (s.isFile()) return "file";
  return "other";
}

export const bunPlatform: Platform = {
  name: "bun",
  version: Bun.version,
  uid: process.getuid?.() ?? 0,
  tlsFetch(options) {
    if (!options.insecure && !options.ca && !options.cert) return fetch;
    const tls = {
      rejectUnauthorized: !options.insecure,
      ...(options.ca ? { ca: options.ca } : {}),
      ...(options.cert && options.key ? { cert: options.cert, key: options.key } : {}),
    };
    return (input, init) => fetch(input, { ...init, tls } as RequestInit);
  },
  unixFetch(socketPath: string): FetchFn {
    return (input, init) => fetch(input, { ...init, unix: socketPath } as RequestInit);
  },
  run,
  host: "local",
  ...localHostFiles,
  readText: (path) => Bun.file(path).text(),
  async writeText(path, data, options = {}) {
    await Bun.write(path, data);
    if (options.mode !== undefined) await chmod(path, options.mode);
  },
  async stat(path) {
    try {
      const s = await lstat(path);
      return { kind: kindOf(s), mode: s.mode & 0o777, size: s.size };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  },
  env: (name) => process.env[name],
  // A compiled binary's entry lives in Bun's embedded file system.
  selfCommand: () =>
    Bun.main.startsWith("/$bunfs") || Bun.main.startsWith("B:/~BUN")
      ? [process.execPath]
      : [process.execPath, Bun.main],
  spawnDetached,
  spawnLines,
  spawnStream,
  async txChecksumOff(nsPath, ifnames) {
    // Loaded on first use: binding the C library is not paid by commands that make no links.
    const [{ bunLibc }, { txChecksumOff }] = await Promise.all([import("./bun-ffi.ts"), import("./ethtool.ts")]);
    return txChecksumOff(bunLibc(), nsPath, ifnames);
  },
};
