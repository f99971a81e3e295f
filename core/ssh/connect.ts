import { existsSync, readFileSync } from "node:fs";
import { appendFile } from "node:fs/promises";
import ssh2 from "ssh2";
import { LabError } from "../errors.ts";
import { checkHostKey, knownHostsLine, parseKnownHosts } from "./known-hosts.ts";

export interface SshTarget {
  user: string;
  host: string;
  port: number;
}

export interface SshOptions {
  /** The user's environment: SSH_AUTH_SOCK and HOME. */
  env: Record<string, string | undefined>;
  /** An identity file to offer (else the agent and ~/.ssh/id_*). */
  identity?: string;
  /** A password (from a URL's user:password@), tried after the keys. */
  password?: string;
  /**
   * What to do with the server's host key against ~/.ssh/known_hosts: `strict` refuses an unknown
   * or changed key, `accept-new` records an unknown one (refusing a changed one), `warn` goes on
   * with a warning as Containerlab's downloads do.
   */
  hostKeys: "strict" | "accept-new" | "warn";
  warn?: (message: string) => void;
  readyTimeoutMs?: number;
  keepaliveMs?: number;
}

/** `ssh://user@host[:port]` (or scp:// and friends) as a target; the user defaults to $USER. */
export function parseSshUrl(text: string, env: Record<string, string | undefined>): SshTarget & { path: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new LabError("usage", `"${text}" is not a URL like ssh://user@host[:port]`);
  }
  return {
    user: decodeURIComponent(url.username) || env.USER || "root",
    host: url.hostname.replace(/^\[|\]$/g, ""),
    port: url.port ? Number(url.port) : 22,
    path: decodeURIComponent(url.pathname),
  };
}

const DEFAULT_KEYS = ["id_ed25519", "id_ecdsa", "id_rsa"];

/** Agent first, then the identity given or the usual key files, as OpenSSH tries them. */
export function authMethods(user: string, opts: SshOptions): unknown[] {
  const methods: unknown[] = [];
  if (opts.env.SSH_AUTH_SOCK && !opts.identity)
    methods.push({ type: "agent", username: user, agent: opts.env.SSH_AUTH_SOCK });
  const home = opts.env.HOME ?? "/root";
  const files = opts.identity ? [opts.identity] : DEFAULT_KEYS.map((k) => `${home}/.ssh/${k}`);
  for (const f of files) {
    if (!existsSync(f)) {
      if (opts.identity) throw new LabError("usage", `identity file ${f} does not exist`, { hint: "Check --identity" });
      continue;
    }
    try {
      const parsed = ssh2.utils.parseKey(readFileSync(f));
      if (parsed instanceof Error) throw parsed;
      methods.push({ type: "publickey", username: user, key: Array.isArray(parsed) ? parsed[0] : parsed });
    } catch (error) {
      opts.warn?.(`cannot use ${f}: ${(error as Error).message} (passphrase-protected keys need ssh-agent)`);
    }
  }
  if (opts.password !== undefined) methods.push({ type: "password", username: user, password: opts.password });
  return methods;
}

/** Connects and authenticates, checking the host key as asked. Errors are one line each. */
export function sshConnect(target: SshTarget, opts: SshOptions): Promise<ssh2.Client> {
  const home = opts.env.HOME ?? "/root";
  const knownFile = `${home}/.ssh/known_hosts`;
  const entries = existsSync(knownFile) ? parseKnownHosts(readFileSync(knownFile, "utf8")) : [];
  const where = `${target.user}@${target.host}:${target.port}`;
  let hostKeyProblem: string | undefined;
  let newKey: Buffer | undefined;
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    client.on("ready", async () => {
      if (newKey) {
        await appendFile(knownFile, `${knownHostsLine(target.host, target.port, newKey)}\n`).catch(() => {});
        opts.warn?.(`added the host key of ${target.host}:${target.port} to ${knownFile}`);
      }
      resolve(client);
    });
    client.on("error", (err) => {
      const reason = hostKeyProblem
        ? hostKeyProblem
        : /All configured authentication methods failed/.test(err.message)
          ? `${where} refused every key offered (agent and ~/.ssh/id_*)`
          : `cannot connect to ${where}: ${err.message}`;
      reject(
        new LabError(hostKeyProblem ? "auth" : "remote", reason, {
          hint: hostKeyProblem ? undefined : "Check the address, the user and your keys",
        }),
      );
    });
    client.connect({
      host: target.host,
      port: target.port,
      username: target.user,
      authHandler: authMethods(target.user, opts) as never,
      readyTimeout: opts.readyTimeoutMs ?? 15_000,
      keepaliveInterval: opts.keepaliveMs ?? 10_000,
      keepaliveCountMax: 4,
      hostVerifier: (key: Buffer) => {
        const state = checkHostKey(entries, target.host, target.port, key);
        if (state === "known") return true;
        if (state === "changed") {
          hostKeyProblem = `the host key of ${target.host}:${target.port} does not match ${knownFile}: refusing to connect (it may have been reinstalled, or someone is in the middle)`;
          if (opts.hostKeys === "warn") {
            opts.warn?.(hostKeyProblem);
            hostKeyProblem = undefined;
            return true;
          }
          return false;
        }
        if (opts.hostKeys === "strict") {
          hostKeyProblem = `${target.host}:${target.port} is not in ${knownFile}: refusing an unknown host key (ssh to it once, or pass --accept-new-host-key)`;
          return false;
        }
        if (opts.hostKeys === "accept-new") newKey = key;
        else
          opts.warn?.(`${target.host}:${target.port} is not in ${knownFile}; going on without checking its host key`);
        return true;
      },
    } as ssh2.ConnectConfig);
  });
}

export { sshExec } from "../../runtime/hosts/ssh-exec.ts";
