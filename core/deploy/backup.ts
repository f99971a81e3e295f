import { readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { privateDir, writePrivate } from "../files/private.ts";
import type { LabModel } from "../topology/model.ts";
import type { Reporter } from "./reporter.ts";

/** Containerlab's backup directory (types/topo_paths.go: os.TempDir()/.clab/bak). */
export const backupDir = (tmp = tmpdir()) => join(tmp, ".clab", "bak");

/** Containerlab's backup name: the deploy's local time as YYMMDD_HHMMSS, then the file's name. */
export function backupName(file: string, at: Date): string {
  const two = (n: number) => String(n).padStart(2, "0");
  const stamp = `${two(at.getFullYear() % 100)}${two(at.getMonth() + 1)}${two(at.getDate())}_${two(at.getHours())}${two(at.getMinutes())}${two(at.getSeconds())}`;
  return `${stamp}_${basename(file)}`;
}

const OF_FILE = (base: string) => (name: string) => /^\d{6}_\d{6}_/.test(name) && name.slice(14) === base;

/**
 * A copy of the topology file, byte for byte, in /tmp/.clab/bak before a deploy, as Containerlab
 * keeps one (WithTopoBackup). One per topology: the newest replaces older ones of the same name.
 * /tmp is everyone's, so the two directories are made and checked as lab's own (private.ts); a
 * failure is a warning, as in Containerlab, never a failed deploy.
 */
export async function backupTopology(lab: LabModel, reporter: Reporter, at = new Date()): Promise<string | undefined> {
  if (lab.file === "<stdin>") return undefined;
  try {
    const dir = await privateDir(backupDir(), "the topology backup directory", { depth: 2, closed: 0o022 });
    const name = backupName(lab.file, at);
    const path = await writePrivate(dir, name, await readFile(lab.file));
    const older = (await readdir(dir)).filter((f) => f !== name && OF_FILE(basename(lab.file))(f));
    await Promise.all(older.map((f) => rm(join(dir, f), { force: true })));
    return path;
  } catch (error) {
    reporter.warn(`could not back up the topology to ${backupDir()}: ${(error as Error).message}`);
    return undefined;
  }
}
