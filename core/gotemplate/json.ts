// encoding/json's Marshal and MarshalIndent, as Containerlab's ToJSON and ToJSONPretty call them:
// map keys sorted, <, > and & escaped, floats in Go's JSON form, NaN and infinities refused.

import { formatFloat } from "./float.ts";
import { type GoFunc, type GoStruct, kindOf, sortedKeys } from "./values.ts";

export class JsonError extends Error {}

const HEX = "0123456789abcdef";

function jsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (c === 10) out += "\\n";
    else if (c === 13) out += "\\r";
    else if (c === 9) out += "\\t";
    else if (c === 8) out += "\\b";
    else if (c === 12) out += "\\f";
    else if (c < 0x20 || ch === "<" || ch === ">" || ch === "&") out += `\\u00${HEX[c >> 4]}${HEX[c & 0xf]}`;
    else if (c === 0x2028 || c === 0x2029) out += `\\u${c.toString(16)}`;
    else if (c >= 0xd800 && c <= 0xdfff) out += "\\ufffd";
    else out += ch;
  }
  return `${out}"`;
}

function jsonFloat(f: number): string {
  if (!Number.isFinite(f)) throw new JsonError(`json: unsupported value: ${formatFloat(f, "g", -1)}`);
  const abs = Math.abs(f);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    // Go writes e-07 and trims it to e-7; JavaScript's exponent form already has no leading zero.
    return f.toExponential();
  }
  return formatFloat(f, "f", -1);
}

function encode(v: unknown, indent: string | undefined, prefix: string, depth: number): string {
  const nl = (d: number) => (indent === undefined ? "" : `\n${prefix}${indent.repeat(d)}`);
  const colon = indent === undefined ? ":" : ": ";
  switch (kindOf(v)) {
    case "invalid":
    case "nil":
      return "null";
    case "bool":
    case "int":
      return String(v);
    case "float":
      return jsonFloat(v as number);
    case "string":
      return jsonString(v as string);
    case "slice": {
      const list = v as unknown[];
      if (!list.length) return "[]";
      return `[${list.map((x) => nl(depth + 1) + encode(x, indent, prefix, depth + 1)).join(",")}${nl(depth)}]`;
    }
    case "struct": {
      const s = v as GoStruct;
      return encode(s.json ? s.json() : s.fields, indent, prefix, depth);
    }
    case "func":
      throw new JsonError(`json: unsupported type: func (${(v as GoFunc).name})`);
    default: {
      const m = v as Record<string, unknown>;
      const keys = sortedKeys(m);
      if (!keys.length) return "{}";
      return `{${keys
        .map((k) => `${nl(depth + 1)}${jsonString(k)}${colon}${encode(m[k], indent, prefix, depth + 1)}`)
        .join(",")}${nl(depth)}}`;
    }
  }
}

/** json.Marshal. */
export const marshal = (v: unknown) => encode(v, undefined, "", 0);

/** json.MarshalIndent: every new line starts with `prefix`, then `indent` per level. */
export const marshalIndent = (v: unknown, prefix: string, indent: string) => encode(v, indent, prefix, 0);
