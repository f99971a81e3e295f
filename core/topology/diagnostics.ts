import type * as v from "valibot";
import { type Document, isMap, isPair, isScalar, isSeq, type LineCounter } from "yaml";
import { LabError } from "../errors.ts";
import { toGoValue } from "./go-yaml.ts";

export type KeyPath = (string | number)[];

export interface Diagnostic {
  file: string;
  line?: number;
  col?: number;
  path: KeyPath;
  message: string;
  hint?: string;
}

export function formatPath(path: KeyPath): string {
  return path.reduce<string>(
    (out, seg) => (typeof seg === "number" ? `${out}[${seg}]` : out ? `${out}.${seg}` : seg),
    "",
  );
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line ? `${d.file}:${d.line}:${d.col ?? 1}` : d.file;
  const path = d.path.length ? ` ${formatPath(d.path)}:` : "";
  return `${where}:${path} ${d.message}${d.hint ? ` (${d.hint})` : ""}`;
}

/** All of a topology's problems in one error: one line each, in file order. */
export function topologyError(diagnostics: Diagnostic[]): LabError {
  const sorted = [...diagnostics].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
  return new LabError("input", sorted.map(formatDiagnostic).join("\n"));
}

/** Where a key path sits in the YAML text; `atKey` points at the key rather than its value. */
export class SourceMap {
  constructor(
    readonly file: string,
    private readonly doc: Document | undefined,
    private readonly lines: LineCounter | undefined,
  ) {}

  locate(path: KeyPath, atKey = false): { line?: number; col?: number } {
    if (!this.doc || !this.lines) return {};
    let node: unknown = this.doc.contents;
    let offset: number | undefined = (node as { range?: number[] } | null)?.range?.[0];
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) break;
        const keyNode = pair.key as { range?: number[] };
        offset = keyNode.range?.[0] ?? offset;
        if (last && atKey) break;
        node = pair.value;
        const valueRange = (node as { range?: number[] } | null)?.range;
        if (valueRange && !(last && atKey)) offset = valueRange[0];
      } else if (isSeq(node) && typeof seg === "number") {
        node = node.items[seg];
        offset = (node as { range?: number[] } | null)?.range?.[0] ?? offset;
      } else {
        break;
      }
    }
    if (offset === undefined) return {};
    const pos = this.lines.linePos(offset);
    return { line: pos.line, col: pos.col };
  }

  /** The YAML node at a key path, if there is one. */
  node(path: KeyPath): unknown {
    let node: unknown = this.doc?.contents;
    for (const seg of path) {
      if (isMap(node)) node = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg))?.value;
      else if (isSeq(node) && typeof seg === "number") node = node.items[seg];
      else return undefined;
    }
    return node;
  }

  /** The value at a key path with Go's types (ints as bigint), for templates. */
  goValue(path: KeyPath): unknown {
    return toGoValue(this.node(path), this.doc);
  }

  /**
   * Makes every scalar map key the text it was written as (`no:` is the key "no", not false), and
   * returns the keys written twice in one mapping (Go's yaml refuses them). Checked here with a set
   * per mapping: the YAML parser's own check compares every key with every other.
   */
  keysAsWritten(): { key: string; offset: number }[] {
    const dupes: { key: string; offset: number }[] = [];
    // A plain walk over collections (yaml's visit() calls back on every scalar too: 80 ms of a
    // 1,000-node lab's validate).
    const walk = (node: unknown): void => {
      if (isSeq(node)) {
        for (const item of node.items) walk(item);
        return;
      }
      if (!isMap(node)) return;
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = pair.key;
        if (isScalar(key)) {
          if (typeof key.value !== "string") key.value = key.value === null ? "" : (key.source ?? String(key.value));
          const name = key.value as string;
          if (seen.has(name)) dupes.push({ key: name, offset: key.range?.[0] ?? 0 });
          seen.add(name);
        } else walk(key);
        walk(pair.value);
      }
    };
    walk(this.doc?.contents);
    return dupes;
  }

  at(path: KeyPath, message: string, hint?: string, atKey = false): Diagnostic {
    return { file: this.file, ...this.locate(path, atKey), path, message, hint };
  }
}

import { closest } from "./closest.ts";

export { closest, editDistance } from "./closest.ts";

type AnySchema = v.GenericSchema & {
  type: string;
  entries?: Record<string, AnySchema>;
  wrapped?: AnySchema;
  value?: AnySchema;
  item?: AnySchema;
  items?: AnySchema[];
  options?: AnySchema[];
  pipe?: AnySchema[];
};

/** The keys an object schema at `path` accepts, found by walking the valibot schema. */
export function knownKeysAt(schema: v.GenericSchema, path: KeyPath): string[] {
  let nodes: AnySchema[] = [schema as AnySchema];
  const unwrap = (s: AnySchema): AnySchema[] => {
    if (s.wrapped) return unwrap(s.wrapped);
    if (s.type === "union" || s.type === "variant") return (s.options ?? []).flatMap(unwrap);
    return [s];
  };
  for (const seg of path) {
    nodes = nodes.flatMap(unwrap).flatMap((s) => {
      if (s.entries) return s.entries[String(seg)] ? [s.entries[String(seg)] as AnySchema] : [];
      if (s.type === "record" && s.value) return [s.value];
      if (s.type === "array" && s.item) return [s.item];
      if (s.type === "tuple" && s.items && typeof seg === "number") return s.items[seg] ? [s.items[seg]] : [];
      return [];
    });
  }
  return [...new Set(nodes.flatMap(unwrap).flatMap((s) => Object.keys(s.entries ?? {})))];
}

/** Turns valibot issues into diagnostics: unknown keys get the closest valid key as a hint. */
export function issuesToDiagnostics(
  issues: readonly v.BaseIssue<unknown>[],
  schema: v.GenericSchema,
  map: SourceMap,
  prefix: KeyPath = [],
): Diagnostic[] {
  return issues.map((issue) => {
    const local = (issue.path ?? []).map((p) => p.key as string | number);
    const path = [...prefix, ...local];
    const isKey = issue.path?.at(-1)?.origin === "key";
    if (isKey && issue.type.includes("object")) {
      const key = String(local.at(-1));
      const known = knownKeysAt(schema, local.slice(0, -1));
      const suggestion = closest(key, known);
      const hint = suggestion
        ? `did you mean "${suggestion}"?`
        : known.length
          ? `valid keys: ${known.join(", ")}`
          : undefined;
      return map.at(path, `unknown key "${key}"`, hint, true);
    }
    if (issue.type === "picklist" || issue.type === "literal" || issue.type === "variant") {
      return map.at(path, `${issue.received} is not allowed: expected ${issue.expected}`);
    }
    if (issue.kind === "schema" && issue.received === "undefined") {
      return map.at(path, `missing required key "${String(local.at(-1))}"`);
    }
    // A brief link (no type) with map endpoints: the extended format Containerlab reads needs a type.
    if (issue.kind === "schema" && issue.received === "Object" && local.at(-2) === "endpoints")
      return map.at(
        path,
        `expected "node:interface", got a map`,
        'endpoints written as maps need "type: veth" on the link',
      );
    if (issue.kind === "schema") return map.at(path, `expected ${issue.expected}, got ${issue.received}`);
    // A name check: the value as JSON, so a newline or NUL in it shows as \n, \u0000 on one line.
    if (issue.type === "check" && typeof issue.input === "string")
      return map.at(path, `${JSON.stringify(issue.input)} ${issue.message}`);
    return map.at(path, `${issue.received} ${issue.message.replace(/^Invalid [^:]+: /, "")}`);
  });
}
