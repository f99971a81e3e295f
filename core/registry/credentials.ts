import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import type { Platform } from "../../runtime/platform/index.ts";
import { LabError } from "../errors.ts";
import { DOCKER_HUB } from "./reference.ts";

export interface Credentials {
  username: string;
  password: string;
  /** An identity token from a helper (username "<token>"), used as a refresh token. */
  identityToken?: string;
}

interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

export function dockerConfigPath(env: (name: string) => string | undefined): string {
  const dir = env("DOCKER_CONFIG") ?? join(env("HOME") ?? homedir(), ".docker");
  return join(dir, "config.json");
}

/**
 * The namespaced keys for a repository, most specific first, as containers/image looks an image up
 * in auth.json (pkg/docker/config: registry/ns/repo, then registry/ns, …): `podman login
 * harbor.example.com/projb` stores a project's robot under such a key.
 */
export function namespacedKeys(registry: string, repository?: string): string[] {
  if (!repository) return [];
  const parts = repository.split("/");
  return parts.map((_, i) => `${registry}/${parts.slice(0, parts.length - i).join("/")}`);
}

/** The keys a registry may be stored under in config.json (Docker Hub has a legacy URL). */
function configKeys(registry: string): string[] {
  if (registry === DOCKER_HUB || registry === "index.docker.io" || registry === "registry-1.docker.io") {
    return ["https://index.docker.io/v1/", "index.docker.io", "docker.io", "registry-1.docker.io"];
  }
  return [registry, `https://${registry}`, `http://${registry}`, `https://${registry}/v1/`, `https://${registry}/v2/`];
}

async function readConfig(path: string): Promise<DockerConfig> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as DockerConfig;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new LabError("input", `cannot read ${path}: ${(error as Error).message}`, { hint: "Fix or remove the file" });
  }
}

/** Runs `docker-credential-<helper> get` with the server on stdin (the helper protocol); secrets never go in argv. */
async function fromHelper(platform: Platform, helper: string, server: string): Promise<Credentials | undefined> {
  const program = `docker-credential-${helper}`;
  let result: Awaited<ReturnType<Platform["run"]>>;
  try {
    result = await platform.run([program, "get"], { stdin: server });
  } catch {
    throw new LabError("auth", `credential helper ${program} is configured for ${server} but cannot be run`, {
      hint: "Install it or remove it from ~/.docker/config.json",
    });
  }
  const out = new TextDecoder().decode(result.stdout).trim();
  if (result.code !== 0) {
    if (/credentials not found/i.test(out)) return undefined;
    throw new LabError(
      "auth",
      `credential helper ${program} failed for ${server}: ${out || `exit code ${result.code}`}`,
    );
  }
  const parsed = JSON.parse(out) as { Username?: string; Secret?: string };
  if (!parsed.Secret) return undefined;
  if (parsed.Username === "<token>") return { username: "", password: "", identityToken: parsed.Secret };
  return { username: parsed.Username ?? "", password: parsed.Secret };
}

/** containers-auth.json locations (podman, skopeo), most specific first. */
function authJsonPaths(env: (name: string) => string | undefined): string[] {
  const home = env("HOME") ?? homedir();
  return [
    env("REGISTRY_AUTH_FILE"),
    env("XDG_RUNTIME_DIR") ? join(env("XDG_RUNTIME_DIR") as string, "containers", "auth.json") : undefined,
    join(env("XDG_CONFIG_HOME") ?? join(home, ".config"), "containers", "auth.json"),
  ].filter((p): p is string => !!p);
}

function fromAuthEntry(
  entry: { auth?: string; username?: string; password?: string; identitytoken?: string } | undefined,
): Credentials | undefined {
  if (!entry) return undefined;
  if (entry.identitytoken) return { username: "", password: "", identityToken: entry.identitytoken };
  if (entry.auth) {
    const decoded = new TextDecoder().decode(Uint8Array.from(atob(entry.auth), (c) => c.charCodeAt(0)));
    const i = decoded.indexOf(":");
    return { username: decoded.slice(0, i), password: decoded.slice(i + 1) };
  }
  if (entry.username && entry.password) return { username: entry.username, password: entry.password };
  return undefined;
}

/**
 * Credentials for `registry` as the docker CLI finds them: a credHelpers entry, then the credsStore,
 * then a plain `auths` entry. `undefined` when none is configured.
 */
export async function lookupCredentials(
  registry: string,
  platform: Platform,
  repository?: string,
): Promise<Credentials | undefined> {
  const config = await readConfig(dockerConfigPath(platform.env));
  const keys = configKeys(registry);
  // The longest host/namespace key of the repository wins over the bare registry.
  const entryKeys = [...namespacedKeys(registry, repository), ...keys];
  const helper = keys.map((k) => config.credHelpers?.[k]).find(Boolean);
  if (helper) return fromHelper(platform, helper, keys[0] as string);
  if (config.credsStore) {
    // docker login stores under the bare server address (or the Hub's legacy URL).
    const found = await fromHelper(platform, config.credsStore, keys[0] as string);
    if (found) return found;
  }
  for (const k of entryKeys) {
    const found = fromAuthEntry(config.auths?.[k]);
    if (found) return found;
  }
  // Then the containers auth.json files podman and skopeo write.
  for (const path of authJsonPaths(platform.env)) {
    const auth = await readConfig(path);
    for (const k of entryKeys) {
      const found = fromAuthEntry(auth.auths?.[k]);
      if (found) return found;
    }
  }
  return undefined;
}
