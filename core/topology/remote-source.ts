import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { basename, isAbsolute, resolve as resolvePath } from "node:path";
import { LabError } from "../errors.ts";
import { ftpGet } from "../net/ftp.ts";
import { parseSshUrl, type SshOptions, sshConnect } from "../ssh/connect.ts";
import { scpRead, sftpRead } from "../ssh/copy.ts";

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
}

/** Where fetched files go: $TMPDIR/.lab/remote, as Containerlab keeps them under $TMPDIR/.clab. */
export const remoteDir = () => `${tmpdir()}/.lab/remote`;

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
  const opts: SshOptions = { env: deps.env, hostKeys: "warn", warn: deps.warn, password };
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
  const dir = remoteDir();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const out = new Map<string, string>();
  await Promise.all(
    [...urls].map(async (url) => {
      const data = await fetchOne(url, deps);
      const name = basename(new URL(url).pathname) || "file";
      const path = `${dir}/${createHash("sha1").update(url).digest("hex").slice(0, 12)}-${name}`;
      await writeFile(path, data, { mode: 0o600 });
      out.set(url, path);
    }),
  );
  return out;
}
