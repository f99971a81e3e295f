// Go's fmt as templates use it: Sprint (print, and every {{ action }}), Sprintln and Sprintf, with
// Go's spacing rules, its %v for each kind of value, and its %!verb(type=value) complaints.

import { formatFloat } from "./float.ts";
import { type GoFunc, type GoStruct, kindOf, sortedKeys, typeName } from "./values.ts";

/** strconv.Quote: Go's escapes, not JSON's. */
export function quote(s: string, q = '"'): string {
  let out = q;
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (ch === q || ch === "\\") out += `\\${ch}`;
    else if (c === 7) out += "\\a";
    else if (c === 8) out += "\\b";
    else if (c === 12) out += "\\f";
    else if (c === 10) out += "\\n";
    else if (c === 13) out += "\\r";
    else if (c === 9) out += "\\t";
    else if (c === 11) out += "\\v";
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else if (c >= 0xd800 && c <= 0xdfff) out += "\\ufffd";
    else if (!/\p{L}|\p{M}|\p{N}|\p{P}|\p{S}|\u0020/u.test(ch))
      out += c > 0xffff ? `\\U${c.toString(16).padStart(8, "0")}` : `\\u${c.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return out + q;
}

/** %v of one value, nested values included. */
export function formatV(v: unknown, plus = false, depth = 0): string {
  switch (kindOf(v)) {
    case "invalid":
    case "nil":
      return "<nil>";
    case "bool":
    case "int":
    case "string":
      return String(v);
    case "float":
      return formatFloat(v as number, "g", -1);
    case "slice":
      return `[${(v as unknown[]).map((x) => formatV(x, plus, depth + 1)).join(" ")}]`;
    case "map": {
      const m = v as Record<string, unknown>;
      return `map[${sortedKeys(m)
        .map((k) => `${k}:${formatV(m[k], plus, depth + 1)}`)
        .join(" ")}]`;
    }
    case "struct": {
      const s = v as GoStruct;
      const body = Object.entries(s.fields)
        .map(([k, x]) => (plus ? `${k}:${formatV(x, plus, depth + 1)}` : formatV(x, plus, depth + 1)))
        .join(" ");
      return `${depth === 0 ? "&" : ""}{${body}}`;
    }
    default:
      return `0x${(0xc000010000 + (v as GoFunc).name.length).toString(16)}`;
  }
}

const isString = (v: unknown) => typeof v === "string";

/** fmt.Sprint: spaces between operands when neither is a string. */
export function sprint(args: unknown[]): string {
  let out = "";
  args.forEach((a, i) => {
    if (i > 0 && !isString(a) && !isString(args[i - 1])) out += " ";
    out += formatV(a);
  });
  return out;
}

/** fmt.Sprintln: always spaces, then a newline. */
export const sprintln = (args: unknown[]) => `${args.map((a) => formatV(a)).join(" ")}\n`;

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width?: number;
  prec?: number;
}

function pad(s: string, f: Spec, zeroOk = true): string {
  if (f.width === undefined || s.length >= f.width) return s;
  const fill = f.width - [...s].length;
  if (fill <= 0) return s;
  if (f.minus) return s + " ".repeat(fill);
  if (f.zero && zeroOk) {
    const sign = /^[+\- ]/.test(s) ? (s[0] as string) : "";
    return sign + "0".repeat(fill) + s.slice(sign.length);
  }
  return " ".repeat(fill) + s;
}

const bad = (verb: string, v: unknown) =>
  v === undefined || v === null ? `%!${verb}(<nil>)` : `%!${verb}(${typeName(v)}=${formatV(v)})`;

function fmtInt(n: bigint, verb: string, f: Spec): string {
  const neg = n < 0n;
  const abs = neg ? -n : n;
  let digits: string;
  let prefix = "";
  switch (verb) {
    case "d":
    case "v":
      digits = abs.toString();
      break;
    case "b":
      digits = abs.toString(2);
      if (f.sharp) prefix = "0b";
      break;
    case "o":
    case "O":
      digits = abs.toString(8);
      if (verb === "O") prefix = "0o";
      else if (f.sharp && digits !== "0") prefix = "0";
      break;
    case "x":
    case "X":
      digits = abs.toString(16);
      if (verb === "X") digits = digits.toUpperCase();
      if (f.sharp) prefix = verb === "x" ? "0x" : "0X";
      break;
    case "c":
      return pad(String.fromCodePoint(Number(n)), f, false);
    case "q":
      return pad(quote(String.fromCodePoint(Number(n)), "'"), f, false);
    case "U": {
      const hex = abs.toString(16).toUpperCase().padStart(4, "0");
      return pad(`U+${hex}${f.sharp ? ` '${String.fromCodePoint(Number(n))}'` : ""}`, f, false);
    }
    default:
      return bad(verb, n);
  }
  if (f.prec !== undefined) {
    if (f.prec === 0 && n === 0n) digits = "";
    digits = digits.padStart(f.prec, "0");
  }
  const sign = neg ? "-" : f.plus ? "+" : f.space ? " " : "";
  const body = `${sign}${prefix}${digits}`;
  // Zero padding goes after the sign and prefix, and is off when a precision is given.
  if (f.zero && !f.minus && f.prec === undefined && f.width !== undefined && body.length < f.width)
    return `${sign}${prefix}${"0".repeat(f.width - body.length)}${digits}`;
  return pad(body, { ...f, zero: false });
}

function fmtFloatVerb(x: number, verb: string, f: Spec): string {
  let s: string;
  switch (verb) {
    case "v":
      s = formatFloat(x, "g", f.prec ?? -1);
      break;
    case "e":
    case "E":
    case "f":
    case "g":
    case "G":
      s = formatFloat(x, verb, f.prec ?? (verb === "g" || verb === "G" ? -1 : 6));
      break;
    case "F":
      s = formatFloat(x, "f", f.prec ?? 6);
      break;
    default:
      return bad(verb, x);
  }
  if (!s.startsWith("-") && !s.startsWith("+")) {
    if (f.plus) s = `+${s}`;
    else if (f.space) s = ` ${s}`;
  } else if (s === "+Inf" && !f.plus) s = f.space ? " Inf" : "+Inf";
  return pad(s, f, Number.isFinite(x));
}

function fmtString(s: string, verb: string, f: Spec, v: unknown): string {
  if (f.prec !== undefined && (verb === "s" || verb === "v" || verb === "q")) s = [...s].slice(0, f.prec).join("");
  switch (verb) {
    case "s":
    case "v":
      return pad(s, f, false);
    case "q":
      return pad(f.sharp && !s.includes("`") ? `\`${s}\`` : quote(s), f, false);
    case "x":
    case "X": {
      let hex = [...new TextEncoder().encode(s)].map((b) => b.toString(16).padStart(2, "0")).join(f.space ? " " : "");
      if (verb === "X") hex = hex.toUpperCase();
      return pad(hex, f, false);
    }
    default:
      return bad(verb, v);
  }
}

function fmtValue(v: unknown, verb: string, f: Spec, depth = 0): string {
  if (verb === "T") return pad(typeName(v), f, false);
  switch (kindOf(v)) {
    case "invalid":
    case "nil":
      return verb === "v" ? pad("<nil>", f, false) : bad(verb, v);
    case "bool":
      return verb === "t" || verb === "v" ? pad(String(v), f, false) : bad(verb, v);
    case "int":
      return fmtInt(v as bigint, verb, f);
    case "float":
      return fmtFloatVerb(v as number, verb, f);
    case "string":
      return fmtString(v as string, verb, f, v);
    case "slice":
      // Verbs apply to each element, as fmt does for slices.
      return `[${(v as unknown[]).map((x) => fmtValue(x, verb, f, depth + 1)).join(" ")}]`;
    case "map": {
      const m = v as Record<string, unknown>;
      return `map[${sortedKeys(m)
        .map((k) => `${fmtValue(k, verb, f, depth + 1)}:${fmtValue(m[k], verb, f, depth + 1)}`)
        .join(" ")}]`;
    }
    default:
      return verb === "v" || verb === "s" ? formatV(v, f.plus, depth) : bad(verb, v);
  }
}

/** fmt.Sprintf with Go's verbs, flags, width and precision (`*` too), and its error forms. */
export function sprintf(format: string, args: unknown[]): string {
  let out = "";
  let argi = 0;
  let i = 0;
  while (i < format.length) {
    const pct = format.indexOf("%", i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const f: Spec = { minus: false, plus: false, sharp: false, space: false, zero: false };
    for (; i < format.length; i++) {
      const c = format[i];
      if (c === "-") f.minus = true;
      else if (c === "+") f.plus = true;
      else if (c === "#") f.sharp = true;
      else if (c === " ") f.space = true;
      else if (c === "0") f.zero = !f.minus;
      else break;
    }
    const num = (): number | undefined => {
      if (format[i] === "*") {
        i++;
        const a = args[argi++];
        return typeof a === "bigint" ? Number(a) : undefined;
      }
      const m = /^\d+/.exec(format.slice(i));
      if (!m) return undefined;
      i += m[0].length;
      return Number(m[0]);
    };
    f.width = num();
    if (f.width !== undefined && f.width < 0) {
      f.minus = true;
      f.width = -f.width;
    }
    if (format[i] === ".") {
      i++;
      f.prec = num() ?? 0;
    }
    if (i >= format.length) {
      out += "%!(NOVERB)";
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i) as number);
    i += verb.length;
    if (verb === "%") {
      out += "%";
      continue;
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += fmtValue(args[argi++], verb, f);
  }
  if (argi < args.length) {
    out += `%!(EXTRA ${args
      .slice(argi)
      .map((a) => (a === undefined || a === null ? "<nil>" : `${typeName(a)}=${formatV(a)}`))
      .join(", ")})`;
  }
  return out;
}
