import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { privateDir, writePrivate } from "../files/private.ts";
import { alive } from "../share/state.ts";

// lab's console servers running in the background for a lab (tools gotty attach), one per lab:
// recorded under /run/lab/consoles so that tools gotty list finds them from anywhere, as
// Containerlab's finds its GoTTY containers by label. An entry whose process is gone is dropped.

export const CONSOLES_DIR = "/run/lab/consoles";

export interface ConsoleServer {
  /** Containerlab's name for a lab's GoTTY container: clab-<lab>-gotty. */
  name: string;
  lab: string;
  pid: number;
  host: string;
  port: number;
  url: string;
  owner: string;
  startedAt: string;
}

export const consoleName = (lab: string) => `clab-${lab}-gotty`;

export async function recordConsole(c: ConsoleServer, dir = CONSOLES_DIR): Promise<void> {
  await privateDir(dir, "lab's console directory", { depth: 2, closed: 0o022 });
  await writePrivate(dir, `${c.lab}.json`, `${JSON.stringify(c, null, 2)}\n`);
}

/** The running console servers (by lab name), stale entries removed. */
export async function listConsoles(dir = CONSOLES_DIR): Promise<ConsoleServer[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const out: ConsoleServer[] = [];
  for (const f of names.filter((n) => n.endsWith(".json"))) {
    const c = JSON.parse(await readFile(join(dir, f), "utf8").catch(() => "{}")) as Partial<ConsoleServer>;
    if (c.pid && alive(c.pid)) out.push(c as ConsoleServer);
    else await rm(join(dir, f), { force: true });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** Stops a lab's console server; false when none runs. Waits (bounded) for the process to end. */
export async function stopConsole(lab: string, dir = CONSOLES_DIR): Promise<boolean> {
  const c = (await listConsoles(dir)).find((x) => x.lab === lab);
  if (!c) return false;
  try {
    process.kill(c.pid, "SIGTERM");
  } catch {}
  for (let i = 0; i < 100 && alive(c.pid); i++) await new Promise((r) => setTimeout(r, 50));
  if (alive(c.pid)) process.kill(c.pid, "SIGKILL");
  await rm(join(dir, `${lab}.json`), { force: true });
  return true;
}
