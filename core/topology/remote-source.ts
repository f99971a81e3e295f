import { createHash } from "node:crypto";
import { homedir } from "node:os";
import { basename, isAbsolute, join, resolve as resolvePath } from "node:path";
import { LabError } from "../errors.ts";
import { cacheDir, privateDir, writePrivate } from "../files/private.ts";
import { ftpGet } from "../net/ftp.ts";
import { parseSshUrl, type SshOptions, sshConnect } from "../ssh/connect.ts";
import { scpRead, sftpRead } from "../ssh/copy.ts";
import { safeFileName } from "./remote-topology.ts";

// Files a topology names by URL (startup-config, license), as Containerlab's utils/file.go takes
// them: http(s) and scp (plus sftp here), fetched once into a folder beside other temporary files.

const REMOTE = /^[a-z][a-z0-9+.-]*:\/\//i;
const SUPPORTED = ["http:", "https:", "scp:", "sftp:", "ftp:"];

/** A value that names a remote file rather than a local path. */
export const isRemote = (value: string) => REMOTE.test(value) && !value.includes("\n");

function expandHome(path: string): string {
  return path === "~" || path.startsWith("~/") ? `${homedir()}${path.slice(1)}` : path;
}

/** Resolves a host path from the topology: `~` expanded, relative to the topology file's directory. */
export function hostPath(dir: string, path: string): string {
  const expanded = expandHome(path);
  return isAbsolute(expanded) ? expanded : resolvePath(dir, expanded);
}

export interface RemoteFiles {
  dir: string;
  /** URL → the local file it was fetched to. */
  fetched?: ReadonlyMap<string, string>;
  /** URLs met that are not fetched yet. */
  pending: Set<string>;
}

/** The local file a topology value stands for; undefined while a URL is not fetched yet. */
export function localFile(r: RemoteFiles, value: string): string | undefined {
  if (!isRemote(value)) return hostPath(r.dir, value);
  const local = r.fetched?.get(value);
  if (!local) r.pending.add(value);
  return local;
}

export interface FetchDeps {
  fetch: (url: string, init?: RequestInit) => Promise<Response>;
  env: Record<string, string | undefined>;
  warn?: (message: string) => void;
  /**
   * scp:// and sftp:// hosts' keys against ~/.ssh/known_hosts: strict by default (an unknown or
   * changed key refuses), accept-new with --accept-new-host-key (a changed one still refuses).
   */
  hostKeys?: "strict" | "accept-new";
}

/**
 * Where fetched files go: the user's own cache directory (~/.cache/lab/remote, 0700, checked), not a
 * shared temp path (Containerlab's $TMPDIR/.clab) where another local user could plant a symlink.
 */
export const remoteDir = (env: Record<string, string | undefined>) => join(cacheDir(env), "remote");

/** A URL as it may appear in messages: never with its password. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.href;
  } catch {
    return url;
  }
}

async function fetchOne(url: string, deps: FetchDeps): Promise<Uint8Array> {
  const scheme = new URL(url).protocol;
  if (!SUPPORTED.includes(scheme))
    throw new LabError("input", `cannot fetch ${redact(url)}: the ${scheme.slice(0, -1)}:// scheme is not supported`, {
      hint: "Use http(s)://, scp://, sftp:// or ftp://, or download the file and give its path",
    });
  if (scheme === "http:" || scheme === "https:") {
    let res: Response;
    try {
      res = await deps.fetch(url, { signal: AbortSignal.timeout(30_000) });
    } catch (error) {
      throw new LabError("remote", `cannot fetch ${redact(url)}: ${(error as Error).message}`, {
        hint: "Check the URL and that this host can reach it",
      });
    }
    if (!res.ok)
      throw new LabError("remote", `cannot fetch ${redact(url)}: HTTP ${res.status} ${res.statusText}`.trim());
    return new Uint8Array(await res.arrayBuffer());
  }
  if (scheme === "ftp:") {
    try {
      return await ftpGet(new URL(url));
    } catch (error) {
      throw new LabError("remote", `cannot fetch ${redact(url)}: ${(error as Error).message}`);
    }
  }
  const target = parseSshUrl(url, deps.env);
  const password = decodeURIComponent(new URL(url).password) || undefined;
  const opts: SshOptions = { env: deps.env, hostKeys: deps.hostKeys ?? "strict", warn: deps.warn, password };
  const client = await sshConnect(target, opts).catch((error: LabError) => {
    throw new LabError(error.code, `cannot fetch ${redact(url)}: ${error.message}`);
  });
  try {
    return await (scheme === "scp:" ? scpRead(client, target.path) : sftpRead(client, target.path));
  } catch (error) {
    throw new LabError("remote", `cannot fetch ${redact(url)}: ${(error as Error).message}`);
  } finally {
    client.end();
  }
}

/** Fetches every URL (in parallel) into the remote folder; the map says where each one landed. */
export async function fetchRemoteFiles(urls: Iterable<string>, deps: FetchDeps): Promise<Map<string, string>> {
  const list = [...urls];
  const out = new Map<string, string>();
  if (!list.length) return out;
  const dir = await privateDir(remoteDir(deps.env), "lab's download directory", { depth: 2 });
  await Promise.all(
    list.map(async (url) => {
      const data = await fetchOne(url, deps);
      const name = safeFileName(basename(new URL(url).pathname) || "file");
      const hash = createHash("sha1").update(url).digest("hex").slice(0, 12);
      out.set(url, await writePrivate(dir, `${hash}-${name}`, data));
    }),
  );
  return out;
}
