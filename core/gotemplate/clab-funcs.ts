// Containerlab's template functions (utils/template.go CreateFuncs, with its strings, conv and net
// namespaces), with the conversions they inherit from gomplate: strings that look like numbers are
// numbers, a float argument makes the result a float, division by zero is an error.

import { formatV } from "./fmt.ts";
import { marshal, marshalIndent } from "./json.ts";
import { parseGoFloat, parseGoInt } from "./parse.ts";
import { GoCallError, GoFunc, GoStruct, int64, kindOf, typedSlice } from "./values.ts";
import { formatIP, parseIP } from "../topology/ip.ts";

const strToInt64 = (s: string): bigint => {
  const str = s.replaceAll(",", "");
  const i = parseGoInt(str);
  if (i !== undefined) return i;
  const f = parseGoFloat(str);
  if (f === undefined) throw new GoCallError(`could not convert ${JSON.stringify(s)} to int64`);
  return floatToInt64(f);
};

const floatToInt64 = (f: number): bigint => (Number.isFinite(f) ? int64(BigInt(Math.trunc(f))) : -(2n ** 63n));

export function toInt64(v: unknown): bigint {
  switch (kindOf(v)) {
    case "string":
      return strToInt64(v as string);
    case "int":
      return v as bigint;
    case "float":
      return floatToInt64(v as number);
    case "bool":
      return v ? 1n : 0n;
    default:
      throw new GoCallError(`could not convert ${formatV(v)} to int64`);
  }
}

export function toFloat64(v: unknown): number {
  switch (kindOf(v)) {
    case "string": {
      const str = (v as string).replaceAll(",", "");
      const i = parseGoInt(str);
      if (i !== undefined) return Number(i);
      const f = parseGoFloat(str);
      if (f === undefined) throw new GoCallError(`could not convert ${JSON.stringify(v)} to float64`);
      return f;
    }
    case "int":
      return Number(v);
    case "float":
      return v as number;
    case "bool":
      return v ? 1 : 0;
    default:
      throw new GoCallError(`could not convert ${formatV(v)} to float64`);
  }
}

/** gomplate's isFloat: a float64, or a string that parses as a float but not as an integer. */
function isFloat(v: unknown): boolean {
  if (typeof v === "number") return true;
  if (typeof v !== "string") return false;
  return parseGoFloat(v) !== undefined && parseGoInt(v) === undefined;
}

const expectNumber = <T>(convert: (v: unknown) => T, v: unknown): T => {
  try {
    return convert(v);
  } catch (error) {
    throw new GoCallError(`expected a number: ${(error as Error).message}`);
  }
};

function arith(op: (a: number, b: number) => number, iop: (a: bigint, b: bigint) => bigint) {
  return (a: unknown, b: unknown): unknown => {
    if (isFloat(a) || isFloat(b)) return op(expectNumber(toFloat64, a), expectNumber(toFloat64, b));
    return int64(iop(expectNumber(toInt64, a), expectNumber(toInt64, b)));
  };
}

function div(a: unknown, b: unknown): number {
  const x = expectNumber(toFloat64, a);
  const y = expectNumber(toFloat64, b);
  if (y === 0) throw new GoCallError("error: division by 0");
  return x / y;
}

function idiv(a: unknown, b: unknown): bigint {
  const x = expectNumber(toInt64, a);
  const y = expectNumber(toInt64, b);
  if (y === 0n) throw new GoCallError("error: division by 0");
  return int64(x / y);
}

function rem(a: unknown, b: unknown): bigint {
  const x = expectNumber(toInt64, a);
  const y = expectNumber(toInt64, b);
  if (y === 0n) throw new GoCallError("expected a number: divisor is zero");
  return x % y;
}

/** gomplate's seq: 1..end, start..end, or start..end by step; counts down; step 0 is empty. */
function seq(...n: unknown[]): bigint[] {
  let start = 1n;
  let end = 0n;
  let step = 1n;
  if (n.length === 1) end = expectNumber(toInt64, n[0]);
  else if (n.length === 2 || n.length === 3) {
    start = expectNumber(toInt64, n[0]);
    end = expectNumber(toInt64, n[1]);
    if (n.length === 3) step = expectNumber(toInt64, n[2]);
  } else throw new GoCallError(`expected 1, 2, or 3 arguments, got ${n.length}`);
  if (step === 0n) return typedSlice([], "[]int64");
  if (end < start && step > 0n) step = -step;
  if (end > start && step < 0n) step = -step;
  end -= (end - start) % step;
  const out = [start];
  for (let last = start; last !== end; ) {
    last += step;
    out.push(last);
    if (out.length > 10_000_000) throw new GoCallError("sequence too long");
  }
  return typedSlice(out, "[]int64");
}

/** Containerlab's ToString: nil is "nil", strings as they are, the rest as fmt prints them. */
function toString(v: unknown): string {
  if (v === null || v === undefined) return "nil";
  return typeof v === "string" ? v : formatV(v);
}

/** Go's strings.Split(s, sep). */
function split(s: string, sep: string): string[] {
  if (sep === "") return [...s];
  return s.split(sep);
}

function join(input: unknown, sep: string): string {
  if (!Array.isArray(input)) throw new GoCallError("input to Join must be an array: expected an array or slice, but got a reflect.Value");
  return input.map(toString).join(sep);
}

function toInt(v: unknown): bigint {
  return toInt64(v);
}

function cidrHost(hostnum: unknown, prefix: unknown): string {
  const text = toString(prefix);
  const [addrText, bitsText, extra] = text.split("/");
  const ip = addrText ? parseIP(addrText) : undefined;
  if (bitsText === undefined) throw new GoCallError(`netip.ParsePrefix(${JSON.stringify(text)}): no '/'`);
  const width = ip?.family === 6 ? 128 : 32;
  const bits = /^\d+$/.test(bitsText) && extra === undefined ? Number(bitsText) : Number.NaN;
  if (!ip) throw new GoCallError(`netip.ParsePrefix(${JSON.stringify(text)}): ParseAddr(${JSON.stringify(addrText)}): unable to parse IP`);
  if (!(bits >= 0 && bits <= width))
    throw new GoCallError(`netip.ParsePrefix(${JSON.stringify(text)}): bad bits after slash: ${JSON.stringify(bitsText)}`);
  let num = expectNumber(toInt64, hostnum);
  const hostLen = BigInt(width - bits);
  const max = (1n << hostLen) - 1n;
  let cmp = num;
  if (num < 0n) {
    cmp = -num - 1n;
    num = max - cmp;
  }
  if (cmp > max) throw new GoCallError(`prefix of ${bits} does not accommodate a host numbered ${num}`);
  const base = ip.value & (((1n << BigInt(width)) - 1n) ^ max);
  return formatIP({ family: ip.family, value: base | (num & ((1n << BigInt(width)) - 1n)) });
}

const f = (name: string, params: GoFunc["params"], fn: (...a: never[]) => unknown, variadic?: GoFunc["variadic"]) =>
  new GoFunc(name, params, fn as (...a: unknown[]) => unknown, variadic);

// The namespaces are functions returning a struct whose methods the template calls: `strings.Split`.
const stringsNs = new GoStruct("utils.StringFuncs", {}, {
  Split: f("Split", ["string", "any"], (sep: string, s: unknown) => typedSlice(split(toString(s), sep), "[]string")),
  ReplaceAll: f("ReplaceAll", ["string", "string", "any"], (old: string, repl: string, s: unknown) => {
    if (old === "") return toString(s);
    if (s === null || s === undefined) return "";
    return toString(s).replaceAll(old, repl);
  }),
});
const convNs = new GoStruct("utils.ConvFuncs", {}, {
  Join: f("Join", ["any", "string"], join),
  ToInt: f("ToInt", ["any"], toInt),
});
const netNs = new GoStruct("utils.NetFuncs", {}, { CIDRHost: f("CIDRHost", ["any", "any"], cidrHost) });

/** Swallows a marshalling error the way Containerlab does: the result is then empty. */
const quietly = (encode: () => string) => {
  try {
    return encode();
  } catch {
    return "";
  }
};

export const CLAB_FUNCS: Record<string, GoFunc> = {
  ToJSON: f("ToJSON", ["any"], (v: unknown) => quietly(() => marshal(v))),
  ToJSONPretty: f("ToJSONPretty", ["any", "string", "string"], (v: unknown, prefix: string, indent: string) =>
    quietly(() => marshalIndent(v, prefix, indent)),
  ),
  add: f("add", ["any", "any"], arith((a, b) => a + b, (a, b) => a + b)),
  subtract: f("subtract", ["any", "any"], arith((a, b) => a - b, (a, b) => a - b)),
  mul: f("mul", ["any", "any"], arith((a, b) => a * b, (a, b) => a * b)),
  div: f("div", ["any", "any"], div),
  idiv: f("idiv", ["any", "any"], idiv),
  rem: f("rem", ["any", "any"], rem),
  seq: f("seq", [], seq, "any"),
  slice: f("slice", [], (...args: unknown[]) => args, "any"),
  strings: f("strings", [], () => stringsNs),
  conv: f("conv", [], () => convNs),
  net: f("net", [], () => netNs),
};
