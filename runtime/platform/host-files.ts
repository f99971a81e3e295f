import { mkdir, readdir, readlink, rm, stat, symlink } from "node:fs/promises";
import { dirname } from "node:path";
import type { Platform } from "./types.ts";

// The host-side file operations lab's network code needs (/run/netns handles, /sys/class/net,
// /proc/<pid>/net, parked-link records), on this machine through node:fs, which Bun and Deno share.
// A remote host implements the same over SSH (runtime/hosts/ssh-platform.ts).

export const localHostFiles: Pick<Platform, "exists" | "list" | "mkdirp" | "remove" | "symlink" | "readlink"> = {
  exists: (path) =>
    stat(path).then(
      () => true,
      () => false,
    ),
  list: (dir) => readdir(dir).catch(() => [] as string[]),
  async mkdirp(dir, mode) {
    await mkdir(dir, { recursive: true, ...(mode !== undefined ? { mode } : {}) });
  },
  remove: (path) => rm(path, { recursive: true, force: true }),
  async symlink(target, path) {
    await rm(path, { force: true });
    await symlink(target, path).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") throw error;
      await mkdir(dirname(path), { recursive: true });
      await symlink(target, path);
    });
  },
  readlink: (path) => readlink(path).catch(() => undefined),
};
