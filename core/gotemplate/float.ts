// strconv.FormatFloat for float64, digit for digit: the shortest digits that round-trip (JavaScript
// computes the same ones), or an exact decimal expansion rounded half-to-even at a given precision.

/** Decimal digits (no leading or trailing zeros) with the decimal point `dp` places from the left. */
interface Digits {
  d: string;
  dp: number;
}

function shortest(x: number): Digits {
  const [mant, exp] = x.toExponential().split("e") as [string, string];
  return trim({ d: mant.replace(".", ""), dp: Number(exp) + 1 });
}

/** The exact decimal value of a finite, positive double. */
function exact(x: number): Digits {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp2 = biased - 1075;
  if (biased === 0) exp2 = -1074;
  else mant |= 1n << 52n;
  if (exp2 >= 0) {
    const d = (mant << BigInt(exp2)).toString();
    return trim({ d, dp: d.length });
  }
  const d = (mant * 5n ** BigInt(-exp2)).toString();
  return trim({ d, dp: d.length + exp2 });
}

function trim(v: Digits): Digits {
  let d = v.d.replace(/0+$/, "");
  let dp = v.dp;
  const lead = /^0*/.exec(d)?.[0].length ?? 0;
  d = d.slice(lead);
  dp -= lead;
  return d ? { d, dp } : { d: "", dp: 0 };
}

/** Rounds to `n` significant digits, half to even on the exact value (as strconv's decimal.Round). */
function round(v: Digits, n: number): Digits {
  if (n < 0 || v.d.length <= n) return v;
  const next = v.d.charCodeAt(n) - 48;
  const rest = v.d.slice(n + 1);
  const prev = n > 0 ? v.d.charCodeAt(n - 1) - 48 : 0;
  const up = next > 5 || (next === 5 && (/[1-9]/.test(rest) || prev % 2 === 1));
  if (!up) return trim({ d: v.d.slice(0, n), dp: v.dp });
  // Add one at position n-1, carrying.
  const digits = v.d.slice(0, n).split("");
  let i = n - 1;
  for (; i >= 0; i--) {
    if (digits[i] === "9") digits[i] = "0";
    else {
      digits[i] = String.fromCharCode((digits[i] as string).charCodeAt(0) + 1);
      break;
    }
  }
  if (i < 0) return trim({ d: `1${digits.join("")}`, dp: v.dp + 1 });
  return trim({ d: digits.join(""), dp: v.dp });
}

const digitAt = (v: Digits, i: number) => (i >= 0 && i < v.d.length ? v.d[i] : "0");

function fmtE(v: Digits, prec: number, e: string): string {
  let out = v.d ? (v.d[0] as string) : "0";
  if (prec > 0) {
    out += ".";
    for (let i = 1; i <= prec; i++) out += digitAt(v, i);
  }
  const exp = v.d ? v.dp - 1 : 0;
  const abs = Math.abs(exp);
  return `${out}${e}${exp < 0 ? "-" : "+"}${abs < 10 ? `0${abs}` : abs}`;
}

function fmtF(v: Digits, prec: number): string {
  let out = "";
  if (v.dp > 0) for (let i = 0; i < v.dp; i++) out += digitAt(v, i);
  else out = "0";
  if (prec > 0) {
    out += ".";
    for (let i = 0; i < prec; i++) out += digitAt(v, v.dp + i);
  }
  return out;
}

/** strconv.FormatFloat(x, fmt, prec, 64) for fmt in e, E, f, g, G; prec -1 is the shortest form. */
export function formatFloat(x: number, fmt: "e" | "E" | "f" | "g" | "G", prec: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "+Inf" : "-Inf";
  const sign = x < 0 || Object.is(x, -0) ? "-" : "";
  const abs = Math.abs(x);
  const isShortest = prec < 0;
  if ((fmt === "g" || fmt === "G") && prec === 0) prec = 1;
  let digs: Digits;
  if (abs === 0) digs = { d: "", dp: 0 };
  else if (isShortest) digs = shortest(abs);
  else {
    const full = exact(abs);
    digs = round(full, fmt === "e" || fmt === "E" ? prec + 1 : fmt === "f" ? full.dp + prec : prec);
  }
  const nd = digs.d.length;
  if (isShortest)
    prec = fmt === "e" || fmt === "E" ? Math.max(nd - 1, 0) : fmt === "f" ? Math.max(nd - digs.dp, 0) : nd;
  if (fmt === "e" || fmt === "E") return sign + fmtE(digs, prec, fmt);
  if (fmt === "f") return sign + fmtF(digs, prec);
  let eprec = prec;
  if (eprec > nd && nd >= digs.dp) eprec = nd;
  // The shortest form decides between %e and %f as if the precision were 6.
  if (isShortest) eprec = 6;
  const exp = digs.dp - 1;
  if (exp < -4 || exp >= eprec) return sign + fmtE(digs, Math.min(prec, nd) - 1, fmt === "g" ? "e" : "E");
  return sign + fmtF(digs, Math.max((prec > digs.dp ? nd : prec) - digs.dp, 0));
}
