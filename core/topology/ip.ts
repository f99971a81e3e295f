// Just enough IP arithmetic to check static management addresses against their subnet.

export interface Cidr {
  family: 4 | 6;
  base: bigint;
  bits: number;
}

export function parseIPv4(text: string): bigint | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let out = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    out = (out << 8n) | BigInt(p);
  }
  return out;
}

export function parseIPv6(text: string): bigint | undefined {
  const addr = text.split("%")[0] as string;
  if (!/^[0-9a-fA-F:.]+$/.test(addr)) return undefined;
  const halves = addr.split("::");
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === "" ? [] : s.split(":"));
  const head = groups(halves[0] as string);
  const tail = halves.length === 2 ? groups(halves[1] as string) : [];
  const words: number[] = [];
  const push = (list: string[]) => {
    for (const g of list) {
      if (g.includes(".")) {
        const v4 = parseIPv4(g);
        if (v4 === undefined) return false;
        words.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return false;
        words.push(Number.parseInt(g, 16));
      }
    }
    return true;
  };
  const headWords: number[] = [];
  if (!push(head)) return undefined;
  headWords.push(...words.splice(0));
  if (!push(tail)) return undefined;
  const tailWords = words.splice(0);
  const missing = 8 - headWords.length - tailWords.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
  const all = [...headWords, ...Array(missing).fill(0), ...tailWords];
  return all.reduce((acc: bigint, w: number) => (acc << 16n) | BigInt(w), 0n);
}

export function parseIP(text: string): { family: 4 | 6; value: bigint } | undefined {
  const v4 = parseIPv4(text);
  if (v4 !== undefined) return { family: 4, value: v4 };
  const v6 = parseIPv6(text);
  return v6 === undefined ? undefined : { family: 6, value: v6 };
}

export function parseCidr(text: string): Cidr | undefined {
  const [addr, len] = text.split("/");
  if (!addr || len === undefined || !/^\d{1,3}$/.test(len)) return undefined;
  const ip = parseIP(addr);
  if (!ip) return undefined;
  const bits = Number(len);
  const width = ip.family === 4 ? 32 : 128;
  if (bits > width) return undefined;
  const mask = ((1n << BigInt(width)) - 1n) ^ ((1n << BigInt(width - bits)) - 1n);
  return { family: ip.family, base: ip.value & mask, bits };
}

export function cidrContains(cidr: Cidr, ip: { family: 4 | 6; value: bigint }): boolean {
  if (cidr.family !== ip.family) return false;
  const width = cidr.family === 4 ? 32 : 128;
  return ip.value >> BigInt(width - cidr.bits) === cidr.base >> BigInt(width - cidr.bits);
}

/** An address as Go's netip prints it: dotted IPv4; IPv6 per RFC 5952 (longest zero run as ::). */
export function formatIP(ip: { family: 4 | 6; value: bigint }): string {
  if (ip.family === 4) return [24n, 16n, 8n, 0n].map((s) => String((ip.value >> s) & 0xffn)).join(".");
  const words = Array.from({ length: 8 }, (_, i) => Number((ip.value >> BigInt(112 - i * 16)) & 0xffffn));
  if (words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff)
    return `::ffff:${formatIP({ family: 4, value: ip.value & 0xffffffffn })}`;
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (ws: number[]) => ws.map((w) => w.toString(16)).join(":");
  if (best < 0) return hex(words);
  return `${hex(words.slice(0, best))}::${hex(words.slice(best + bestLen))}`;
}

/** The `index`-th of `parts` equal slices of a CIDR (parts rounded up to a power of two). */
export function cidrSlice(cidr: Cidr, index: number, parts: number): string {
  const extra = Math.ceil(Math.log2(Math.max(1, parts)));
  const width = cidr.family === 4 ? 32 : 128;
  const bits = Math.min(width, cidr.bits + extra);
  const base = cidr.base + (BigInt(index) << BigInt(width - bits));
  return `${formatIP({ family: cidr.family, value: base })}/${bits}`;
}

/** A prefix length as a dotted mask (24 → 255.255.255.0), as IOS configurations write it. */
export function ddnMask(bits: number): string {
  const m = bits <= 0 ? 0 : (0xffffffff << (32 - Math.min(bits, 32))) >>> 0;
  return [24, 16, 8, 0].map((s) => (m >>> s) & 255).join(".");
}
