import { createHmac } from "node:crypto";

/** One known_hosts line: host patterns (plain or hashed), key type and base64 blob. */
export interface KnownHost {
  patterns: string[];
  hashed?: { salt: Buffer; hash: Buffer };
  keyType: string;
  key: string;
  marker?: string;
}

export function parseKnownHosts(text: string): KnownHost[] {
  const out: KnownHost[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const parts = line.split(/\s+/);
    const marker = parts[0]?.startsWith("@") ? parts.shift() : undefined;
    const [hosts, keyType, key] = parts;
    if (!hosts || !keyType || !key) continue;
    if (hosts.startsWith("|1|")) {
      const [, , salt, hash] = hosts.split("|");
      out.push({
        patterns: [],
        hashed: { salt: Buffer.from(salt ?? "", "base64"), hash: Buffer.from(hash ?? "", "base64") },
        keyType,
        key,
        marker,
      });
    } else out.push({ patterns: hosts.split(","), keyType, key, marker });
  }
  return out;
}

/** The name OpenSSH looks a host up by: `host`, or `[host]:port` off port 22. */
export const hostKeyName = (host: string, port: number) => (port === 22 ? host : `[${host}]:${port}`);

function globMatch(pattern: string, name: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
  );
  return re.test(name);
}

function matches(entry: KnownHost, name: string): boolean {
  if (entry.hashed) {
    const h = createHmac("sha1", entry.hashed.salt).update(name).digest();
    return h.equals(entry.hashed.hash);
  }
  let hit = false;
  for (const p of entry.patterns) {
    if (p.startsWith("!")) {
      if (globMatch(p.slice(1), name)) return false;
    } else if (globMatch(p, name)) hit = true;
  }
  return hit;
}

/** "known" when a line for the host has this key, "changed" when lines exist but none has it, else "unknown". */
export function checkHostKey(
  entries: KnownHost[],
  host: string,
  port: number,
  key: Buffer,
): "known" | "changed" | "unknown" {
  const name = hostKeyName(host, port);
  const forHost = entries.filter((e) => !e.marker && matches(e, name));
  if (!forHost.length) return "unknown";
  const b64 = key.toString("base64");
  return forHost.some((e) => e.key === b64) ? "known" : "changed";
}

/** A known_hosts line for a new host key, as OpenSSH writes it (not hashed). */
export function knownHostsLine(host: string, port: number, key: Buffer): string {
  const type = key.subarray(4, 4 + key.readUInt32BE(0)).toString();
  return `${hostKeyName(host, port)} ${type} ${key.toString("base64")}`;
}
