import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { checkHostKey, knownHostsLine, parseKnownHosts } from "./known-hosts.ts";

// Trust on first use for edges lab connects to on its own (the mysocket edge): the key seen the
// first time is recorded in lab's own known_hosts file; a different key later refuses the connect,
// naming that file, as OpenSSH's StrictHostKeyChecking=accept-new does.

/** lab's own known_hosts: $XDG_CONFIG_HOME/lab/known_hosts, else ~/.config/lab/known_hosts. */
export function labKnownHosts(env: Record<string, string | undefined>): string {
  return join(env.XDG_CONFIG_HOME ?? join(env.HOME ?? homedir(), ".config"), "lab", "known_hosts");
}

/** A host key verifier for a tunnel: true, or the one-line reason it refuses. */
export function tofuVerifier(file: string, host: string, port: number, what: string) {
  return (key: Buffer): true | string => {
    const entries = existsSync(file) ? parseKnownHosts(readFileSync(file, "utf8")) : [];
    const state = checkHostKey(entries, host, port, key);
    if (state === "known") return true;
    if (state === "changed")
      return `the host key of ${what} ${host}:${port} is not the one recorded in ${file}: refusing to connect (if the edge was rebuilt, remove its line there)`;
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    appendFileSync(file, `${knownHostsLine(host, port, key)}\n`, { mode: 0o600 });
    return true;
  };
}
