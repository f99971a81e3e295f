import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { Platform } from "../../runtime/platform/index.ts";
import { LabError } from "../errors.ts";
import { RegistryClient } from "./client.ts";
import { dockerConfigPath } from "./credentials.ts";

interface ConfigFile {
  auths?: Record<string, Record<string, unknown>>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
  [key: string]: unknown;
}

async function readConfig(path: string): Promise<ConfigFile> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as ConfigFile;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new LabError("input", `cannot read ${path}: ${(error as Error).message}`);
  }
}

async function writeConfig(path: string, config: ConfigFile): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFile(path, `${JSON.stringify(config, null, "\t")}\n`, { mode: 0o600 });
  // writeFile's mode applies only to a file it creates: an existing config.json keeps its own.
  await chmod(path, 0o600);
}

async function helper(platform: Platform, name: string, verb: "store" | "erase", input: string): Promise<void> {
  const r = await platform.run([`docker-credential-${name}`, verb], { stdin: input });
  if (r.code !== 0)
    throw new LabError(
      "auth",
      `docker-credential-${name} ${verb} failed: ${new TextDecoder().decode(r.stdout).trim()}`,
    );
}

/**
 * Checks the credentials against the registry (the auth challenge, a token if it uses tokens), then
 * stores them as `docker login` does: in the configured credential helper, else base64 in `auths`.
 */
export async function login(
  registry: string,
  username: string,
  password: string,
  options: { insecure?: boolean; ca?: string },
  platform: Platform,
): Promise<string> {
  const client = new RegistryClient({
    registry,
    credentials: { username, password },
    insecure: options.insecure,
    ca: options.ca,
    platform,
  });
  const r = await client.request("GET", "/v2/", { accept: [200], what: `log in to ${registry}` });
  await r.body?.cancel();
  const path = dockerConfigPath(platform.env);
  const config = await readConfig(path);
  const store = config.credHelpers?.[registry] ?? config.credsStore;
  if (store) {
    await helper(
      platform,
      store,
      "store",
      JSON.stringify({ ServerURL: registry, Username: username, Secret: password }),
    );
    config.auths = { ...config.auths, [registry]: {} };
  } else {
    const auth = btoa(String.fromCharCode(...new TextEncoder().encode(`${username}:${password}`)));
    config.auths = { ...config.auths, [registry]: { auth } };
  }
  await writeConfig(path, config);
  return path;
}

export async function logout(registry: string, platform: Platform): Promise<boolean> {
  const path = dockerConfigPath(platform.env);
  const config = await readConfig(path);
  const store = config.credHelpers?.[registry] ?? config.credsStore;
  const had = !!config.auths?.[registry];
  if (store) await helper(platform, store, "erase", registry).catch(() => {});
  if (config.auths) delete config.auths[registry];
  await writeConfig(path, config);
  return had || !!store;
}
