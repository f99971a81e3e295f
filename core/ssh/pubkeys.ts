import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The deploying user's SSH public keys from ~/.ssh/*.pub, as Containerlab collects them for NOS
 * kinds that install them (VyOS, SR Linux): type and base64 key, unreadable or odd lines skipped.
 */
export function userPublicKeys(home: string | undefined): { type: string; key: string }[] {
  const dir = join(home ?? "/root", ".ssh");
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(".pub"));
  } catch {
    return [];
  }
  const out: { type: string; key: string }[] = [];
  for (const name of names.sort()) {
    let text: string;
    try {
      text = readFileSync(join(dir, name), "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n")) {
      const [type, key] = line.trim().split(/\s+/);
      if (type && key && /^(ssh-|ecdsa-|sk-)/.test(type) && !out.some((k) => k.key === key)) out.push({ type, key });
    }
  }
  return out;
}
