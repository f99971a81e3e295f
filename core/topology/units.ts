// go-humanize's bytesSizeTable, which Containerlab's memory and shm-size go through (ParseBytes):
// k, kb = 1000; ki, kib = 1024; and so on up to exa.
const UNITS: Record<string, number> = { "": 1, b: 1 };
for (const [i, p] of ["k", "m", "g", "t", "p", "e"].entries()) {
  UNITS[p] = UNITS[`${p}b`] = 1000 ** (i + 1);
  UNITS[`${p}i`] = UNITS[`${p}ib`] = 1024 ** (i + 1);
}

/**
 * Sizes as Containerlab reads `memory:` and `shm-size:` (humanize.ParseBytes): "1G" and "1GB" are
 * 10^9 bytes, "1Gi" and "1GiB" 2^30; digits may carry commas and a fraction; a number is bytes.
 */
export function parseSize(value: string | number): number | undefined {
  if (typeof value === "number") return value >= 0 ? Math.floor(value) : undefined;
  const m = /^([\d.,]+)(.*)$/.exec(value.trim());
  const n = m ? Number((m[1] as string).replaceAll(",", "")) : Number.NaN;
  const unit = UNITS[(m?.[2] ?? "").trim().toLowerCase()];
  if (!m || Number.isNaN(n) || unit === undefined) return undefined;
  return Math.floor(n * unit);
}

/** Splits a command line the way a POSIX shell would (quotes and backslashes), without expansion. */
export function shellSplit(line: string): string[] {
  const out: string[] = [];
  let current = "";
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === "\\" && quote === '"' && (line[i + 1] === '"' || line[i + 1] === "\\")) current += line[++i];
      else current += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === "\\" && i + 1 < line.length) {
      current += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(current);
      current = "";
      inWord = false;
    } else {
      current += c;
      inWord = true;
    }
  }
  if (inWord) out.push(current);
  return out;
}

const DURATION_UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Go's time.ParseDuration ("1s", "1m30s", "250ms") in milliseconds; a bare number is seconds. */
export function parseDuration(value: string): number | undefined {
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (!parts.length || parts.map((p) => p[0]).join("") !== text) return undefined;
  return parts.reduce((sum, p) => sum + Number(p[1]) * (DURATION_UNITS[p[2] as string] as number), 0);
}
