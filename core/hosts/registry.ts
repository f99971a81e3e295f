import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { HostDef } from "./definitions.ts";

// Which hosts each lab runs on, remembered on this machine so that `lab down --name LAB`,
// `lab inspect --all` and `lab exec --name` reach every host without the topology file.

export interface LabHosts {
  lab: string;
  hosts: Omit<HostDef, "from">[];
}

export const stateDir = (env: (k: string) => string | undefined) => env("LAB_STATE_DIR") || "/var/lib/lab";
const fileOf = (env: (k: string) => string | undefined, lab: string) => join(stateDir(env), "labs", `${lab}.json`);

export async function rememberHosts(
  env: (k: string) => string | undefined,
  lab: string,
  hosts: HostDef[],
): Promise<void> {
  const file = fileOf(env, lab);
  if (!hosts.length) {
    await rm(file, { force: true });
    return;
  }
  await mkdir(join(stateDir(env), "labs"), { recursive: true, mode: 0o700 });
  const record: LabHosts = { lab, hosts: hosts.map(({ from: _from, ...d }) => d) };
  await writeFile(file, `${JSON.stringify(record, null, 1)}\n`, { mode: 0o600 });
}

export async function forgetHosts(env: (k: string) => string | undefined, lab: string): Promise<void> {
  await rm(fileOf(env, lab), { force: true });
}

export async function recalledHosts(env: (k: string) => string | undefined, lab: string): Promise<HostDef[]> {
  try {
    const record = JSON.parse(await readFile(fileOf(env, lab), "utf8")) as LabHosts;
    return record.hosts.map((d) => ({ ...d, from: `lab ${lab}'s hosts` }));
  } catch {
    return [];
  }
}

/** Every remembered lab with its hosts (lab inspect --all). */
export async function allRecalled(env: (k: string) => string | undefined): Promise<LabHosts[]> {
  const dir = join(stateDir(env), "labs");
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith(".json"));
  const out: LabHosts[] = [];
  for (const n of names) {
    const lab = n.slice(0, -5);
    const hosts = await recalledHosts(env, lab);
    if (hosts.length) out.push({ lab, hosts });
  }
  return out;
}
