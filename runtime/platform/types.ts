/**
 * The few primitives that differ between Bun and Deno. Everything above runtime/ receives a
 * `Platform` instead of touching `Bun` or `Deno` globals, so the same code runs on both.
 */
import type { TxOffResult } from "./ethtool.ts";

export type { TxOffResult } from "./ethtool.ts";

export type FetchFn = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface RunOptions {
  /** Written to the child's stdin, then closed. Secrets go here, never in argv. */
  stdin?: string | Uint8Array;
  env?: Record<string, string>;
  cwd?: string;
  signal?: AbortSignal;
}

export interface RunResult {
  code: number;
  stdout: Uint8Array;
  stderr: Uint8Array;
}

export type PathKind = "file" | "directory" | "socket" | "symlink" | "other";

export interface PathStat {
  kind: PathKind;
  /** Permission bits (mode & 0o777). */
  mode: number;
  size: number;
}

export interface TlsOptions {
  /** Accept any certificate (and so plain-HTTP fallbacks are decided by the caller). */
  insecure?: boolean;
  /** PEM text of extra CA certificates to trust. */
  ca?: string;
  /** A client certificate and its key (PEM), as a TLS Docker Engine asks for. */
  cert?: string;
  key?: string;
}

export interface Platform {
  readonly name: "bun" | "deno";
  readonly version: string;
  /** The effective user id (0: root), for telling a rootless user what needs root before trying. */
  readonly uid: number;
  /** A fetch with these TLS settings (private CA, or no verification). */
  tlsFetch(options: TlsOptions): FetchFn;
  /** A fetch that sends every request over the unix socket at `socketPath`. */
  unixFetch(socketPath: string): FetchFn;
  /** Runs a program to completion and collects its output. Never throws on a non-zero exit. */
  run(cmd: readonly string[], options?: RunOptions): Promise<RunResult>;
  readText(path: string): Promise<string>;
  writeText(path: string, data: string, options?: { mode?: number }): Promise<void>;
  /** `null` when nothing is at `path`; symlinks are not followed. */
  stat(path: string): Promise<PathStat | null>;
  /**
   * The host this platform's commands and files are on: "local", or a remote host's name (its
   * commands and files then go over SSH). Everything else (fetch, env, spawning lab) stays here.
   */
  readonly host: string;
  /** Whether something is at `path` (symlinks followed). */
  exists(path: string): Promise<boolean>;
  /** The names in a directory; [] when it is not there. */
  list(dir: string): Promise<string[]>;
  mkdirp(dir: string, mode?: number): Promise<void>;
  /** Removes a file or a whole directory; nothing there is fine. */
  remove(path: string): Promise<void>;
  /** Makes `path` a symlink to `target`, replacing what was there (and making its directory). */
  symlink(target: string, path: string): Promise<void>;
  readlink(path: string): Promise<string | undefined>;
  env(name: string): string | undefined;
  /** The command that runs this same lab (compiled binary, or runtime + entry script). */
  selfCommand(): string[];
  /** Starts a process that outlives this one, its output appended to `logFile`; returns its pid. */
  spawnDetached(cmd: string[], logFile: string, env?: Record<string, string>): number;
  /**
   * Turns TX checksum offload off on interfaces of the network namespace at `nsPath` (here when
   * undefined), with the ethtool ioctl through the runtime's FFI.
   */
  txChecksumOff(nsPath: string | undefined, ifnames: string[]): Promise<TxOffResult[]>;
  /** Runs a long-lived program, handing over each stdout line as it comes; resolves with its exit code. */
  spawnLines(cmd: readonly string[], onLine: (line: string) => void, signal?: AbortSignal): Promise<number>;
  /**
   * Runs a long-lived program, handing over its stdout bytes (and, to `onStderr`, its stderr text) as
   * they come; resolves with its exit code and the end of its stderr.
   */
  spawnStream(
    cmd: readonly string[],
    onData: (chunk: Uint8Array) => void,
    signal?: AbortSignal,
    onStderr?: (text: string) => void,
  ): Promise<{ code: number; stderr: string }>;
}
