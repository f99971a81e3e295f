import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawn } from "bun";
import { sh, waitFor } from "./env.ts";

/**
 * Runs the SSH/NETCONF stand-in (netconf-server.ts) in a running container's network namespace, so
 * it answers on the node's management address. `log` collects what it receives; stop() ends it.
 */
export async function startNosSsh(
  container: string,
  opts: { port: number; user: string; password: string; dir: string },
): Promise<{ log: string; stop(): void }> {
  const pid = JSON.parse(sh(`docker inspect ${container}`).stdout)[0].State.Pid;
  const tag = `${container}-${opts.port}`;
  const key = join(opts.dir, `${tag}.hostkey`);
  const log = join(opts.dir, `${tag}.log`);
  const ready = join(opts.dir, `${tag}.ready`);
  if (!existsSync(key)) sh(`ssh-keygen -q -t ed25519 -N '' -f ${key}`);
  writeFileSync(log, "");
  const proc = spawn(
    [
      "nsenter",
      `--net=/proc/${pid}/ns/net`,
      "--",
      process.execPath,
      join(import.meta.dir, "netconf-server.ts"),
      String(opts.port),
      log,
      opts.user,
      opts.password,
      key,
      ready,
    ],
    { stdout: "ignore", stderr: "inherit" },
  );
  try {
    await waitFor(() => existsSync(ready), 15_000, `the SSH stand-in in ${container}`);
  } catch (error) {
    proc.kill();
    throw error;
  }
  return { log, stop: () => proc.kill() };
}
