import { existsSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { LabError } from "../errors.ts";
import { cacheDir, privateDir, writePrivate } from "../files/private.ts";

// `-t` naming a topology elsewhere, as Containerlab's getTopoFilePath and git/ take it: a GitHub or
// GitLab repository, file or tree URL (cloned beside you, the file picked), `owner/repo` for GitHub,
// or any other http(s) URL (downloaded; the scheme may be left out).

export interface GitRepoRef {
  cloneUrl: string;
  /** The directory the clone goes to: the repository's name. */
  name: string;
  branch?: string;
  /** Folders inside the repository, then the file (when one is named). */
  path: string[];
  file?: string;
}

const TOPO_EXT = /\.(ya?ml|gotmpl)$/;

/** A GitHub (github.com, github.dev) or GitLab (any URL with "gitlab" in it) repository reference. */
export function parseGitUrl(text: string): GitRepoRef | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  const github = url.host.includes("github.com") || url.host.includes("github.dev");
  const gitlab = !github && url.href.includes("gitlab");
  if (!github && !gitlab) return undefined;
  const parts = url.pathname.replace(/^\/+|\/+$/g, "").split("/");
  if (parts.length < 2 || !parts[0] || !parts[1])
    throw new LabError("usage", `invalid repository URL ${text}: it needs an owner and a repository`);
  // GitLab puts a "-" segment before blob/tree: /owner/repo/-/blob/branch/path.
  const at = github ? 2 : 3;
  const host = url.host === "github.dev" ? "github.com" : url.host;
  const repo = parts[1].replace(/\.git$/, "");
  const base = `${url.protocol}//${host}/${parts[0]}/${parts[1]}`.replace(/\/$/, "");
  if (parts.length === 2) return { cloneUrl: base, name: repo, path: [] };
  if (parts.length < at + 2)
    throw new LabError(
      "usage",
      `invalid repository URL ${text}: it should name the repository, or a /blob/ or /tree/ path in it`,
    );
  const kind = parts[at];
  const branch = parts[at + 1];
  if (kind === "blob") {
    if (!/\.ya?ml$/.test(url.pathname))
      throw new LabError("usage", `invalid repository URL ${text}: topology file must have yml or yaml extension`);
    return { cloneUrl: base, name: repo, branch, path: parts.slice(at + 2, -1), file: parts.at(-1) };
  }
  if (kind === "tree") return { cloneUrl: base, name: repo, branch, path: parts.slice(at + 2) };
  throw new LabError("usage", `invalid repository URL ${text}: expected /blob/ or /tree/ after the repository`);
}

/** GitHub's short form `owner/repo` (no dot in the owner, and not a file name). */
export function isGitHubShort(text: string): boolean {
  const parts = text.split("/");
  return parts.length === 2 && !!parts[0] && !!parts[1] && !parts[0].includes(".") && !TOPO_EXT.test(text);
}

/** A downloaded file's name as lab stores it: only letters, digits and . _ - (the rest as _). */
export const safeFileName = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "_");

/** An http(s) URL, or one without its scheme whose path has no dot (`srlinux.dev/clab-srl`). */
export function httpUrl(text: string): string | undefined {
  if (/^https?:\/\//.test(text)) return text;
  if (text === "-" || text.startsWith("/") || text.startsWith(".")) return undefined;
  const [host, rest] = text.split(/\/(.*)/s, 2) as [string, string | undefined];
  if (!host?.includes(".") || rest?.includes(".")) return undefined;
  return `https://${text}`;
}

export interface RemoteTopologyDeps {
  fetch: (url: string, init?: RequestInit) => Promise<Response>;
  /** Runs git with these arguments in `cwd`. */
  git: (args: string[], cwd: string) => Promise<{ code: number; stderr: string; stdout: string }>;
  /** For the user's cache directory (XDG_CACHE_HOME), where downloads go. */
  env: Record<string, string | undefined>;
}

async function git(deps: RemoteTopologyDeps, args: string[], cwd: string, what: string) {
  let r: Awaited<ReturnType<RemoteTopologyDeps["git"]>>;
  try {
    r = await deps.git(args, cwd);
  } catch (error) {
    throw new LabError("usage", `cannot run git to ${what}: ${(error as Error).message}`, {
      hint: "Install git, or download the topology and pass its path",
    });
  }
  if (r.code !== 0)
    throw new LabError("remote", `git could not ${what}: ${r.stderr.trim().split("\n").at(-1) ?? `exit ${r.code}`}`);
  return r.stdout.trim();
}

/** Clones (or updates) the repository beside `cwd` and returns the topology path in it. */
async function cloneRepo(ref: GitRepoRef, cwd: string, deps: RemoteTopologyDeps): Promise<string> {
  const dir = join(cwd, ref.name);
  // A shallow clone where the server can serve one (the dumb HTTP protocol cannot).
  const shallow = async (args: string[], where: string, what: string) => {
    try {
      return await git(deps, args, where, what);
    } catch (error) {
      if (!/shallow/i.test((error as Error).message)) throw error;
      return git(
        deps,
        args.filter((a, i) => a !== "--depth" && args[i - 1] !== "--depth"),
        where,
        what,
      );
    }
  };
  if (!existsSync(dir)) {
    await shallow(
      ["clone", "--depth", "1", ...(ref.branch ? ["--branch", ref.branch] : []), ref.cloneUrl, ref.name],
      cwd,
      `clone ${ref.cloneUrl}`,
    );
  } else {
    if (!statSync(dir).isDirectory()) throw new LabError("conflict", `${dir} exists already but is a file`);
    const origin = await git(deps, ["remote", "get-url", "origin"], dir, `read the origin of ${dir}`);
    if (origin !== ref.cloneUrl)
      throw new LabError(
        "conflict",
        `repository url of ${dir} differs (${origin}) from the provided url (${ref.cloneUrl})`,
        {
          hint: "Remove or rename that directory",
        },
      );
    await shallow(["fetch", "--depth", "1", "origin", ref.branch ?? "HEAD"], dir, `fetch ${ref.cloneUrl}`);
    await git(
      deps,
      ["checkout", "-f", ...(ref.branch ? ["-B", ref.branch] : []), "FETCH_HEAD"],
      dir,
      "check out the fetched revision",
    );
  }
  return join(dir, ...ref.path, ref.file ?? "");
}

/**
 * The local path for a `-t` value that is not a local file: a clone for repository URLs, a
 * download for other URLs; undefined when the value is not remote at all.
 */
export async function fetchTopology(file: string, cwd: string, deps: RemoteTopologyDeps): Promise<string | undefined> {
  const ref = parseGitUrl(file) ?? (isGitHubShort(file) ? parseGitUrl(`https://github.com/${file}`) : undefined);
  if (ref) return cloneRepo(ref, cwd, deps);
  const url = httpUrl(file);
  if (!url) return undefined;
  let res: Response;
  try {
    res = await deps.fetch(url, { signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    throw new LabError("remote", `cannot fetch the topology ${url}: ${(error as Error).message}`, {
      hint: "Check the URL and that this host can reach it",
    });
  }
  if (!res.ok) throw new LabError("remote", `cannot fetch the topology ${url}: HTTP ${res.status}`);
  // Into the user's own cache directory (0700, checked), never a shared temp path another local
  // user could plant a symlink in or swap the file in between download and read.
  const dir = await privateDir(join(cacheDir(deps.env), "topologies"), "lab's download directory", { depth: 2 });
  let name = safeFileName(basename(new URL(url).pathname) || "topology");
  if (!/\.clab\.(ya?ml|gotmpl)$/.test(name)) name = `${name.replace(/\.(ya?ml)$/, "")}.clab.yml`;
  return writePrivate(dir, name, new Uint8Array(await res.arrayBuffer()));
}
