// text/template's builtin functions (funcs.go) with Go's semantics: comparisons by basic kind with
// Go's errors, len and index over slices, maps and strings, the print family, and the escapers.

import { formatV, sprint, sprintf, sprintln } from "./fmt.ts";
import { GoCallError, GoFunc, isTrue, kindOf, type ParamType, typeName } from "./values.ts";

type BasicKind = "bool" | "int" | "float" | "string" | "invalid" | "other";

function basicKind(v: unknown): BasicKind {
  const k = kindOf(v);
  if (k === "bool" || k === "int" || k === "float" || k === "string") return k;
  return k === "invalid" || k === "nil" ? "invalid" : "other";
}

const errBadComparisonType = () => new GoCallError("invalid type for comparison");
const errBadComparison = () => new GoCallError("incompatible types for comparison");

function eq(arg1: unknown, ...rest: unknown[]): boolean {
  if (!rest.length) throw new GoCallError("missing argument for comparison");
  const k1 = basicKind(arg1);
  for (const arg of rest) {
    const k2 = basicKind(arg);
    let truth = false;
    if (k1 !== k2) {
      if (arg1 !== undefined && arg1 !== null && arg !== undefined && arg !== null) throw errBadComparison();
    } else if (k1 === "other") {
      if (kindOf(arg1) !== kindOf(arg) || kindOf(arg1) === "slice" || kindOf(arg1) === "map")
        throw new GoCallError(`non-comparable type ${formatV(arg1)}: ${typeName(arg1)}`);
      truth = arg1 === arg;
    } else {
      truth = k1 === "invalid" || arg1 === arg;
    }
    if (truth) return true;
  }
  return false;
}

function lt(a: unknown, b: unknown): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 === "invalid" || k1 === "other" || k2 === "invalid" || k2 === "other") throw errBadComparisonType();
  if (k1 !== k2) throw errBadComparison();
  if (k1 === "bool") throw errBadComparisonType();
  if (k1 === "string") return (a as string) < (b as string);
  return (a as number | bigint) < (b as number | bigint);
}

const le = (a: unknown, b: unknown) => lt(a, b) || eq(a, b);

function length(item: unknown): bigint {
  switch (kindOf(item)) {
    case "string":
      return BigInt(new TextEncoder().encode(item as string).length);
    case "slice":
      return BigInt((item as unknown[]).length);
    case "map":
      return BigInt(Object.keys(item as object).length);
    case "nil":
      throw new GoCallError("len of nil pointer");
    case "invalid":
      throw new GoCallError("reflect: call of reflect.Value.Type on zero Value");
    default:
      throw new GoCallError(`len of type ${typeName(item)}`);
  }
}

function index(item: unknown, ...indexes: unknown[]): unknown {
  if (item === undefined || item === null) throw new GoCallError("index of untyped nil");
  let v: unknown = item;
  for (const ix of indexes) {
    if (v === null || v === undefined) throw new GoCallError("index of nil pointer");
    const k = kindOf(v);
    if (k === "slice" || k === "string") {
      if (ix === undefined || ix === null) throw new GoCallError("cannot index slice/array with nil");
      if (typeof ix !== "bigint") throw new GoCallError(`cannot index slice/array with type ${typeName(ix)}`);
      const bytes = k === "string" ? new TextEncoder().encode(v as string) : (v as unknown[]);
      if (ix < 0n || ix > BigInt(bytes.length)) throw new GoCallError(`index out of range: ${ix}`);
      if (ix === BigInt(bytes.length)) throw new GoCallError("reflect: slice index out of range");
      const x = bytes[Number(ix)];
      v = k === "string" ? BigInt(x as number) : x;
    } else if (k === "map") {
      if (typeof ix !== "string") throw new GoCallError(`value has type ${typeName(ix)}; should be string`);
      const m = v as Record<string, unknown>;
      // A missing key gives the element type's zero value: a nil interface.
      v = Object.hasOwn(m, ix) ? m[ix] : null;
    } else {
      throw new GoCallError(`can't index item of type ${typeName(v)}`);
    }
  }
  return v;
}

/** fmt.Sprint of the arguments, or the one string argument as it is (evalArgs in funcs.go). */
function evalArgs(args: unknown[]): string {
  if (args.length === 1 && typeof args[0] === "string") return args[0];
  return sprint(args);
}

function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) =>
    c === "\0"
      ? "\uFFFD"
      : c === '"'
        ? "&#34;"
        : c === "'"
          ? "&#39;"
          : c === "&"
            ? "&amp;"
            : c === "<"
              ? "&lt;"
              : "&gt;",
  );
}

function jsEscape(s: string): string {
  let out = "";
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (ch === "\\") out += "\\\\";
    else if (ch === "'") out += "\\'";
    else if (ch === '"') out += '\\"';
    else if (ch === "<") out += "\\u003C";
    else if (ch === ">") out += "\\u003E";
    else if (ch === "&") out += "\\u0026";
    else if (ch === "=") out += "\\u003D";
    else if (c < 0x20 || c === 0x7f) out += `\\u${c.toString(16).toUpperCase().padStart(4, "0")}`;
    else if (c < 0x80 || /\p{L}|\p{M}|\p{N}|\p{P}|\p{S}/u.test(ch)) out += ch;
    else out += `\\u${c.toString(16).toUpperCase().padStart(4, "0")}`;
  }
  return out;
}

/** url.QueryEscape. */
function queryEscape(s: string): string {
  let out = "";
  for (const b of new TextEncoder().encode(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === " ") out += "+";
    else out += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

function call(fn: unknown, ...args: unknown[]): unknown {
  if (!(fn instanceof GoFunc)) throw new GoCallError(`non-function of type ${typeName(fn)}`);
  const fixed = fn.params.length;
  if (fn.variadic ? args.length < fixed : args.length !== fixed)
    throw new GoCallError(`wrong number of args: got ${args.length} want ${fixed}`);
  return fn.fn(...args);
}

const f = (name: string, params: ParamType[], fn: (...a: never[]) => unknown, variadic?: ParamType) =>
  new GoFunc(name, params, fn as (...a: unknown[]) => unknown, variadic);

/** Go's builtins, by name. `and`/`or` are evaluated lazily by the executor. */
export const BUILTINS: Record<string, GoFunc> = {
  // The executor evaluates and/or itself, lazily; these bodies serve `call`.
  and: f("and", ["value"], (...a: unknown[]): unknown => a.find((x) => !isTrue(x)) ?? a.at(-1), "value"),
  or: f("or", ["value"], (...a: unknown[]): unknown => a.find(isTrue) ?? a.at(-1), "value"),
  not: f("not", ["value"], (a: unknown) => !isTrue(a)),
  len: f("len", ["value"], length),
  index: f("index", ["value"], index, "value"),
  slice: f(
    "slice",
    ["value"],
    () => {
      throw new GoCallError("slice is replaced by Containerlab's");
    },
    "value",
  ),
  print: f("print", [], (...a: unknown[]) => sprint(a), "any"),
  printf: f("printf", ["string"], (format: string, ...a: unknown[]) => sprintf(format, a), "any"),
  println: f("println", [], (...a: unknown[]) => sprintln(a), "any"),
  html: f("html", [], (...a: unknown[]) => htmlEscape(evalArgs(a)), "any"),
  js: f("js", [], (...a: unknown[]) => jsEscape(evalArgs(a)), "any"),
  urlquery: f("urlquery", [], (...a: unknown[]) => queryEscape(evalArgs(a)), "any"),
  call: f("call", ["value"], call, "value"),
  eq: f("eq", ["value"], eq, "value"),
  ne: f("ne", ["value", "value"], (a: unknown, b: unknown) => !eq(a, b)),
  lt: f("lt", ["value", "value"], lt),
  le: f("le", ["value", "value"], le),
  gt: f("gt", ["value", "value"], (a: unknown, b: unknown) => !le(a, b)),
  ge: f("ge", ["value", "value"], (a: unknown, b: unknown) => !lt(a, b)),
};
