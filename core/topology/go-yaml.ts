import {
  type Document,
  type DocumentOptions,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type ParseOptions,
  parseDocument,
  type SchemaOptions,
} from "yaml";

/**
 * YAML read as Containerlab's gopkg.in/yaml.v2 reads it: YAML 1.1 scalars (yes/no/on/off are
 * booleans, 0755 is octal), but no sexagesimal numbers or timestamps, which yaml.v2 leaves as text.
 */
export const goYamlOptions: ParseOptions & DocumentOptions & SchemaOptions = {
  version: "1.1",
  customTags: (tags) =>
    tags.filter((t) => typeof t !== "object" || (t.format !== "TIME" && !String(t.tag).endsWith(":timestamp"))),
};

/** Template variables as yaml.v2 decodes them into interface{}: integers are int (bigint here). */
export function parseGoYaml(text: string): { value: unknown; error?: string } {
  const doc = parseDocument(text, { ...goYamlOptions, intAsBigInt: true, uniqueKeys: false });
  if (doc.errors.length) return { value: undefined, error: doc.errors[0]?.message.split("\n")[0] };
  return { value: doc.toJS({ maxAliasCount: 1000 }) };
}

const GO_INT = /^[-+]?(0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]*|[1-9][0-9_]*)$/;

/**
 * A parsed YAML node as a Go template sees it (yaml.v2 into interface{}): integers as int (bigint
 * here), other numbers as float64, maps and sequences recursively. For `config.vars` and link vars.
 */
export function toGoValue(node: unknown, doc?: Document): unknown {
  if (isAlias(node) && doc) return toGoValue(node.resolve(doc), doc);
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value ?? "") : String(pair.key);
      out[key] = toGoValue(pair.value, doc);
    }
    return out;
  }
  if (isSeq(node)) return node.items.map((n) => toGoValue(n, doc));
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === "number" && Number.isInteger(v) && GO_INT.test(node.source ?? String(v))) return BigInt(v);
    return v;
  }
  return node === undefined ? undefined : null;
}
