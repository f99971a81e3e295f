import { readFile } from "node:fs/promises";
import type { Platform } from "../../runtime/platform/index.ts";
import { LabError } from "../errors.ts";
import { RegistryClient } from "./client.ts";
import { type Credentials, lookupCredentials } from "./credentials.ts";

export interface SessionOptions {
  /** `user:password`, or just `user` with a password from stdin. */
  creds?: string;
  password?: string;
  insecure?: boolean;
  caFile?: string;
  /** The repository the session is for: credentials stored for its host/namespace win. */
  repository?: string;
}

/** Explicit credentials when given, else the docker config / containers auth.json ones. */
export async function resolveCredentials(
  registry: string,
  options: SessionOptions,
  platform: Platform,
): Promise<Credentials | undefined> {
  if (options.creds !== undefined) {
    const i = options.creds.indexOf(":");
    const username = i < 0 ? options.creds : options.creds.slice(0, i);
    const password = i < 0 ? options.password : options.creds.slice(i + 1);
    if (password === undefined)
      throw new LabError("usage", `no password for ${username}`, {
        hint: "Pipe it with --password-stdin (--src-/--dest-password-stdin), or set LAB_PASSWORD (LAB_SRC_PASSWORD, LAB_DEST_PASSWORD)",
      });
    return { username, password };
  }
  return lookupCredentials(registry, platform, options.repository);
}

export async function registrySession(
  registry: string,
  options: SessionOptions,
  platform: Platform,
): Promise<RegistryClient> {
  let ca: string | undefined;
  if (options.caFile) {
    try {
      ca = await readFile(options.caFile, "utf8");
    } catch (error) {
      throw new LabError("usage", `cannot read --ca-file ${options.caFile}: ${(error as Error).message}`);
    }
  }
  const credentials = await resolveCredentials(registry, options, platform);
  return new RegistryClient({ registry, credentials, insecure: options.insecure, ca, platform });
}
