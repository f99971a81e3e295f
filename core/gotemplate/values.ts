// Go values as the template engine sees them. Go's types matter to Containerlab's templates (`div`
// is float division, `add` stays an integer unless an argument is a float, fmt prints 3.0 as "3"), so
// JavaScript values stand for Go ones by a fixed convention:
//   bigint → int (int64)      number → float64       string, boolean → themselves
//   array → a slice           plain object → map[string]interface {}
//   GoStruct → a struct (a pointer to one, as Containerlab passes its node config)
//   GoFunc → a function value  null → a nil interface stored in a map or slice
//   undefined → no value at all (Go's invalid reflect.Value: a missing map key)

/** The Go type of a slice, when it is not []interface {} (seq gives []int64, strings.Split []string). */
const SLICE_TYPE = Symbol("go-slice-type");

export function typedSlice<T>(items: T[], type: string): T[] {
  Object.defineProperty(items, SLICE_TYPE, { value: type, enumerable: false });
  return items;
}

/** A parameter's type, as evalArg converts arguments: `value` is reflect.Value (no conversion). */
export type ParamType = "any" | "string" | "value" | "bool" | "int";

/** A Go function: its parameters decide how arguments are checked and converted. */
export class GoFunc {
  constructor(
    readonly name: string,
    readonly params: ParamType[],
    readonly fn: (...args: unknown[]) => unknown,
    /** The type of the variadic tail, when the function takes `...T`. */
    readonly variadic?: ParamType,
  ) {}
}

/** A struct (by pointer): named fields and methods, with the Go type name for messages. */
export class GoStruct {
  constructor(
    readonly typeName: string,
    readonly fields: Record<string, unknown>,
    readonly methods: Record<string, GoFunc> = {},
    /** encoding/json's view of the struct (its json tags), for ToJSON. */
    readonly json?: () => unknown,
  ) {}
}

/** An error a function returns: the engine reports it as `error calling NAME: message`. */
export class GoCallError extends Error {}

export const isMap = (v: unknown): v is Record<string, unknown> =>
  v !== null &&
  typeof v === "object" &&
  !Array.isArray(v) &&
  !(v instanceof GoStruct) &&
  !(v instanceof GoFunc) &&
  !(v instanceof Uint8Array);

export type Kind = "invalid" | "bool" | "int" | "float" | "string" | "slice" | "map" | "struct" | "func" | "nil";

export function kindOf(v: unknown): Kind {
  if (v === undefined) return "invalid";
  if (v === null) return "nil";
  switch (typeof v) {
    case "bigint":
      return "int";
    case "number":
      return "float";
    case "string":
      return "string";
    case "boolean":
      return "bool";
  }
  if (Array.isArray(v)) return "slice";
  if (v instanceof GoStruct) return "struct";
  if (v instanceof GoFunc) return "func";
  return "map";
}

/** The Go type name, for %T and for messages. */
export function typeName(v: unknown): string {
  switch (kindOf(v)) {
    case "invalid":
    case "nil":
      return "<nil>";
    case "int":
      return "int";
    case "float":
      return "float64";
    case "string":
      return "string";
    case "bool":
      return "bool";
    case "slice":
      return (v as { [SLICE_TYPE]?: string })[SLICE_TYPE] ?? "[]interface {}";
    case "struct":
      return `*${(v as GoStruct).typeName}`;
    case "func":
      return "func";
    default:
      return "map[string]interface {}";
  }
}

/** Go's truth: empty and zero values are false; a struct is always true. */
export function isTrue(v: unknown): boolean {
  switch (kindOf(v)) {
    case "invalid":
    case "nil":
      return false;
    case "bool":
      return v as boolean;
    case "int":
      return v !== 0n;
    case "float":
      return v !== 0;
    case "string":
      return (v as string).length > 0;
    case "slice":
      return (v as unknown[]).length > 0;
    case "map":
      return Object.keys(v as object).length > 0;
    default:
      return true;
  }
}

/** Go's int64 wrap-around. */
export const int64 = (n: bigint) => BigInt.asIntN(64, n);

/** The map keys in Go's order (fmt and range sort them). */
export const sortedKeys = (m: Record<string, unknown>) => Object.keys(m).sort(compareStrings);

/** Go compares strings byte by byte (UTF-8); for UTF-16 that is code point order. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i) as number;
    const y = b.codePointAt(i) as number;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length < b.length ? -1 : 1;
}
