import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { lstat, mkdir, open, rename, rm } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { LabError } from "../errors.ts";

// Files lab writes for the user from the network (remote topologies and the files they name) and
// its topology backups. lab runs as root, so a directory another local user can write, or a symlink
// planted in the way, would let that user redirect root's write or swap a topology between its
// download and its read. Directories are made and checked here (a directory, not a symlink, owned by
// this user, no access for group or others); files are written under a fresh name with O_EXCL and
// O_NOFOLLOW, then renamed into place (a rename replaces a symlink, it never follows one).

/** The invoking user: root's own directories when run as root. */
const uid = () => (typeof process.getuid === "function" ? process.getuid() : 0);

/** lab's cache: $XDG_CACHE_HOME/lab, else ~/.cache/lab (root's under /root when run as root). */
export function cacheDir(env: Record<string, string | undefined>): string {
  const base =
    env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith("/") ? env.XDG_CACHE_HOME : join(homedir(), ".cache");
  return join(base, "lab");
}

export interface DirRules {
  /** Permission bits others must not have: 0o077 (private, the default) or 0o022 (no one else writes). */
  closed?: number;
  /** How many of the path's last components lab owns (made and checked): 1, or 2 for /tmp/.clab/bak. */
  depth?: number;
}

/** Refuses `dir` unless it is a real directory of this user with none of the `closed` bits. */
async function checkOwnDir(dir: string, what: string, closed: number): Promise<void> {
  const st = await lstat(dir);
  if (st.isSymbolicLink())
    throw new LabError("conflict", `${what} ${dir} is a symlink; lab does not follow it`, {
      hint: "Remove it (lab makes the directory itself)",
    });
  if (!st.isDirectory()) throw new LabError("conflict", `${what} ${dir} is not a directory`, { hint: "Remove it" });
  if (st.uid !== uid())
    throw new LabError(
      "conflict",
      `${what} ${dir} belongs to user ${st.uid}, not to you (${uid()}); lab does not use it`,
      {
        hint: "Remove it, or point XDG_CACHE_HOME elsewhere",
      },
    );
  if ((st.mode & closed) !== 0)
    throw new LabError("conflict", `${what} ${dir} is open to others (mode ${(st.mode & 0o777).toString(8)})`, {
      hint: `chmod ${(0o777 & ~closed).toString(8)} ${dir}`,
    });
}

/**
 * `dir` made when missing (its last `depth` components mode 0700, the parents above as mkdir -p
 * makes them), then each of those components checked: a real directory of this user without the
 * `closed` bits. `what` names it in errors.
 */
export async function privateDir(dir: string, what = "lab's directory", rules: DirRules = {}): Promise<string> {
  const { closed = 0o077, depth = 1 } = rules;
  const owned: string[] = [];
  for (let d = dir, i = 0; i < depth; i++, d = dirname(d)) owned.unshift(d);
  await mkdir(dirname(owned[0] as string), { recursive: true, mode: 0o755 });
  for (const d of owned) {
    // Made alone, never with recursive: one made meanwhile (by anyone) is checked, not adopted blindly.
    await mkdir(d, { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "EEXIST") throw error;
    });
    await checkOwnDir(d, what, closed);
  }
  return dir;
}

/**
 * Writes `data` to `dir/name` (mode 0600) without following a symlink there: a fresh temporary file
 * (O_CREAT|O_EXCL|O_NOFOLLOW), then a rename over the name. `dir` must come from privateDir.
 */
export async function writePrivate(dir: string, name: string, data: Uint8Array | string): Promise<string> {
  if (!name || name.includes("/") || name === "." || name === "..")
    throw new LabError("input", `${JSON.stringify(name)} is not a file name lab writes`);
  const path = join(dir, name);
  const tmp = join(dir, `.${name}.${randomBytes(6).toString("hex")}.partial`);
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
  const file = await open(tmp, flags, 0o600);
  try {
    await file.writeFile(data);
  } catch (error) {
    await file.close();
    await rm(tmp, { force: true });
    throw error;
  }
  await file.close();
  await rename(tmp, path);
  return path;
}
