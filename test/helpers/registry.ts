import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Subprocess, spawn } from "bun";
import { freePort, sh, waitFor } from "./env.ts";

export interface TestRegistry {
  /** host:port on loopback. */
  address: string;
  username: string;
  password: string;
  stop(): Promise<void>;
}

/**
 * A real CNCF Distribution registry (Debian's docker-registry) on 127.0.0.1 with htpasswd Basic auth
 * and filesystem storage in a temp dir that stop() removes. The engine treats 127.0.0.1 registries as
 * insecure, so it pulls from it over plain HTTP.
 */
export async function startRegistry(options: { username?: string; password?: string } = {}): Promise<TestRegistry> {
  const username = options.username ?? "labuser";
  const password = options.password ?? "lab-secret-pw";
  const dir = mkdtempSync(join(tmpdir(), "lab-registry-"));
  const htpasswd = sh(`htpasswd -Bbn '${username}' '${password}'`).stdout;
  writeFileSync(join(dir, "htpasswd"), htpasswd);
  const { address, proc } = await serveRegistry(dir, `auth: { htpasswd: { realm: lab-test, path: ${dir}/htpasswd } }`);
  return {
    address,
    username,
    password,
    async stop() {
      proc.kill();
      await proc.exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs docker-registry on a free loopback port with storage under `dir` and the given `auth:` line,
 * and waits until it answers 401 (auth required). On failure it is stopped and `dir` removed.
 */
export async function serveRegistry(dir: string, auth: string): Promise<{ address: string; proc: Subprocess }> {
  const port = await freePort();
  writeFileSync(
    join(dir, "config.yml"),
    [
      "version: 0.1",
      "log: { level: error }",
      `storage: { filesystem: { rootdirectory: ${dir}/data }, delete: { enabled: true } }`,
      `http: { addr: 127.0.0.1:${port} }`,
      auth,
    ].join("\n"),
  );
  const proc: Subprocess = spawn(["docker-registry", "serve", join(dir, "config.yml")], {
    stdout: "ignore",
    stderr: "ignore",
  });
  const address = `127.0.0.1:${port}`;
  try {
    await waitFor(async () => (await fetch(`http://${address}/v2/`)).status === 401, 10_000, "the registry to answer");
  } catch (error) {
    proc.kill();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return { address, proc };
}

/** Copies a local daemon image into the registry with skopeo (the reference tool), creds on stdin-free flags. */
export function seedImage(registry: TestRegistry, source: string, dest: string): void {
  const r = sh(
    `skopeo copy --quiet --dest-tls-verify=false --dest-creds "$CREDS" docker-daemon:${source} docker://${registry.address}/${dest}`,
    { env: { CREDS: `${registry.username}:${registry.password}` } },
  );
  if (r.code !== 0) throw new Error(`skopeo copy failed: ${r.stderr}`);
}
