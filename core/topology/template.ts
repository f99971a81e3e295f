// The part of Go's text/template (with the sprig functions topologies use) that Containerlab applies
// to every topology file before parsing it: `{{ }}` actions with trim markers and comments, pipelines,
// variables, if/else if/else, range (lists, maps, integers), with, and a function table. Enough for
// `.clab.gotmpl` fabrics generated from a vars file, with define/template/block in the same file.

export class TemplateError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

type Value = unknown;

interface Token {
  kind: "ident" | "field" | "var" | "dot" | "str" | "num" | "lp" | "rp" | "pipe" | "decl" | "assign" | "comma";
  text: string;
  /** Field chain of a field or variable token (`.a.b`, `$x.a`). */
  path: string[];
  /** Whitespace came before it: `(x).a` chains, `(x) .a` is another argument. */
  spaced: boolean;
}

type Operand =
  | { kind: "field"; base: "dot" | { var: string } | { sub: Pipe }; path: string[] }
  | { kind: "lit"; value: Value }
  | { kind: "fn"; name: string };

interface Pipe {
  decl?: { names: string[]; assign: boolean };
  cmds: Operand[][];
}

type TNode =
  | { kind: "text"; text: string }
  | { kind: "action"; pipe: Pipe; line: number }
  | { kind: "if" | "with"; pipe: Pipe; body: TNode[]; otherwise: TNode[]; line: number }
  | { kind: "range"; pipe: Pipe; body: TNode[]; otherwise: TNode[]; line: number }
  | { kind: "template"; name: string; pipe?: Pipe; line: number };

interface Segment {
  text?: string;
  action?: Token[];
  line: number;
}

function lexAction(body: string, line: number): Token[] {
  const out: Token[] = [];
  let i = 0;
  let spaced = true;
  const push = (kind: Token["kind"], text: string, path: string[] = []) => {
    out.push({ kind, text, path, spaced });
    spaced = false;
  };
  const chain = () => {
    const path: string[] = [];
    while (body[i] === "." && /[A-Za-z_]/.test(body[i + 1] ?? "")) {
      const m = /^\.([A-Za-z_][\w-]*)/.exec(body.slice(i)) as RegExpExecArray;
      path.push(m[1] as string);
      i += m[0].length;
    }
    return path;
  };
  while (i < body.length) {
    const c = body[i] as string;
    if (/\s/.test(c)) {
      i++;
      spaced = true;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < body.length && body[j] !== '"') j += body[j] === "\\" ? 2 : 1;
      if (j >= body.length) throw new TemplateError(line, "unterminated string");
      push("str", JSON.parse(body.slice(i, j + 1)) as string);
      i = j + 1;
    } else if (c === "`") {
      const j = body.indexOf("`", i + 1);
      if (j < 0) throw new TemplateError(line, "unterminated raw string");
      push("str", body.slice(i + 1, j));
      i = j + 1;
    } else if (c === "(" || c === ")" || c === "|" || c === ",") {
      push(c === "(" ? "lp" : c === ")" ? "rp" : c === "|" ? "pipe" : "comma", c);
      i++;
    } else if (body.startsWith(":=", i)) {
      push("decl", ":=");
      i += 2;
    } else if (c === "=") {
      push("assign", "=");
      i++;
    } else if (c === "$") {
      const m = /^\$[\w]*/.exec(body.slice(i)) as RegExpExecArray;
      i += m[0].length;
      const was: boolean = spaced;
      const path = chain();
      spaced = was;
      push("var", m[0], path);
    } else if (c === ".") {
      const was: boolean = spaced;
      if (/[A-Za-z_]/.test(body[i + 1] ?? "")) {
        const path = chain();
        spaced = was;
        push("field", path.join("."), path);
      } else {
        i++;
        push("dot", ".");
      }
    } else if (/[-+\d]/.test(c) && /\d/.test(c === "-" || c === "+" ? (body[i + 1] ?? "") : c)) {
      const m = /^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(body.slice(i)) as RegExpExecArray;
      push("num", m[0]);
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_]\w*/.exec(body.slice(i)) as RegExpExecArray;
      push("ident", m[0]);
      i += m[0].length;
    } else {
      throw new TemplateError(line, `unexpected "${c}" in action`);
    }
  }
  return out;
}

/** Splits the source into text and actions, applying `{{-` / `-}}` trims and dropping comments. */
function segments(src: string): Segment[] {
  const out: Segment[] = [];
  let i = 0;
  let trimNext = false;
  // Positions only move forward, so lines are counted once, not from the start for every action.
  let counted = 0;
  let line = 1;
  const lineAt = (pos: number) => {
    for (; counted < pos; counted++) if (src.charCodeAt(counted) === 10) line++;
    return line;
  };
  while (i <= src.length) {
    const open = src.indexOf("{{", i);
    let text = src.slice(i, open < 0 ? src.length : open);
    if (trimNext) text = text.replace(/^\s+/, "");
    if (open < 0) {
      if (text) out.push({ text, line: lineAt(i) });
      break;
    }
    let start = open + 2;
    if (src[start] === "-" && /\s/.test(src[start + 1] ?? "")) {
      text = text.replace(/\s+$/, "");
      start += 2;
    }
    if (text) out.push({ text, line: lineAt(i) });
    const at = lineAt(open);
    // Find the closing braces outside strings and comments.
    let j = start;
    for (;;) {
      if (j >= src.length) throw new TemplateError(at, "unclosed action: {{ without }}");
      if (src[j] === '"') {
        j++;
        while (j < src.length && src[j] !== '"') j += src[j] === "\\" ? 2 : 1;
        j++;
      } else if (src[j] === "`") j = src.indexOf("`", j + 1) + 1 || src.length;
      else if (src.startsWith("/*", j)) j = src.indexOf("*/", j + 2) + 2 || src.length;
      else if (src.startsWith("}}", j)) break;
      else j++;
    }
    let body = src.slice(start, j);
    trimNext = /\s-$/.test(body);
    if (trimNext) body = body.slice(0, -1);
    body = body.trim();
    if (!(body.startsWith("/*") && body.endsWith("*/"))) out.push({ action: lexAction(body, at), line: at });
    i = j + 2;
  }
  return out;
}

class Parser {
  private at = 0;
  /** `{{define}}` and `{{block}}` bodies by name. */
  readonly defs = new Map<string, TNode[]>();
  constructor(private readonly segs: Segment[]) {}

  parse(): TNode[] {
    const { nodes, end } = this.list();
    if (end) throw new TemplateError(end.line, `unexpected {{${end.action?.map((t) => t.text).join(" ")}}}`);
    return nodes;
  }

  /** Nodes up to an `end` or `else` (returned as `end` for the caller to judge). */
  private list(): { nodes: TNode[]; end?: Segment } {
    const nodes: TNode[] = [];
    while (this.at < this.segs.length) {
      const seg = this.segs[this.at++] as Segment;
      if (seg.text !== undefined) {
        nodes.push({ kind: "text", text: seg.text });
        continue;
      }
      const toks = seg.action as Token[];
      const head = toks[0];
      if (!head) throw new TemplateError(seg.line, "empty action");
      const word = head.kind === "ident" ? head.text : "";
      if (word === "end" || word === "else") return { nodes, end: seg };
      if (word === "if" || word === "with" || word === "range") {
        nodes.push(this.block(word, toks.slice(1), seg.line));
      } else if (word === "define" || word === "block" || word === "template") {
        const name = toks[1];
        if (name?.kind !== "str") throw new TemplateError(seg.line, `{{${word}}} needs a quoted template name`);
        const rest = toks.slice(2);
        const pipe = rest.length ? pipeline(rest, seg.line, false) : undefined;
        if (word !== "template") {
          const body = this.list();
          if (body.end?.action?.[0]?.text !== "end") throw new TemplateError(seg.line, `{{${word}}} has no {{end}}`);
          this.defs.set(name.text, body.nodes);
        }
        if (word !== "define") nodes.push({ kind: "template", name: name.text, pipe, line: seg.line });
      } else if (word === "break" || word === "continue") {
        throw new TemplateError(seg.line, `{{${word}}} is not supported by lab's template engine`);
      } else {
        nodes.push({ kind: "action", pipe: pipeline(toks, seg.line, true), line: seg.line });
      }
    }
    return { nodes };
  }

  private block(kind: "if" | "with" | "range", toks: Token[], line: number): TNode {
    const pipe = pipeline(toks, line, true);
    const { nodes: body, end } = this.list();
    if (!end) throw new TemplateError(line, `{{${kind}}} has no {{end}}`);
    let otherwise: TNode[] = [];
    const endToks = end.action as Token[];
    if (endToks[0]?.text === "else") {
      if (endToks[1]?.text === "if" || endToks[1]?.text === "with") {
        // `else if` opens a nested block that shares this one's {{end}}.
        otherwise = [this.block(endToks[1].text as "if" | "with", endToks.slice(2), end.line)];
      } else {
        const rest = this.list();
        if (rest.end?.action?.[0]?.text !== "end") throw new TemplateError(line, `{{${kind}}} has no {{end}}`);
        otherwise = rest.nodes;
      }
    }
    return { kind, pipe, body, otherwise, line };
  }
}

function pipeline(toks: Token[], line: number, allowDecl: boolean): Pipe {
  let at = 0;
  let decl: Pipe["decl"];
  // `$x :=`, `$x =`, `$i, $e :=`
  const declEnd = toks.findIndex((t) => t.kind === "decl" || t.kind === "assign");
  if (allowDecl && declEnd > 0 && toks.slice(0, declEnd).every((t) => t.kind === "var" || t.kind === "comma")) {
    decl = {
      names: toks.slice(0, declEnd).flatMap((t) => (t.kind === "var" ? [t.text] : [])),
      assign: toks[declEnd]?.kind === "assign",
    };
    at = declEnd + 1;
  }
  const cmds: Operand[][] = [];
  const parseCmds = (stopAtRp: boolean): Operand[][] => {
    const list: Operand[][] = [[]];
    while (at < toks.length) {
      const t = toks[at] as Token;
      if (t.kind === "rp") {
        if (stopAtRp) break;
        throw new TemplateError(line, "unexpected )");
      }
      at++;
      if (t.kind === "pipe") {
        list.push([]);
        continue;
      }
      let op: Operand;
      if (t.kind === "lp") {
        const inner = parseCmds(true);
        if (toks[at]?.kind !== "rp") throw new TemplateError(line, "missing )");
        at++;
        op = { kind: "field", base: { sub: { cmds: inner } }, path: [] };
      } else if (t.kind === "dot") op = { kind: "field", base: "dot", path: [] };
      else if (t.kind === "field") op = { kind: "field", base: "dot", path: t.path };
      else if (t.kind === "var") op = { kind: "field", base: { var: t.text }, path: t.path };
      else if (t.kind === "str") op = { kind: "lit", value: t.text };
      else if (t.kind === "num") op = { kind: "lit", value: Number(t.text) };
      else if (t.kind === "ident")
        op =
          t.text === "true" || t.text === "false"
            ? { kind: "lit", value: t.text === "true" }
            : t.text === "nil"
              ? { kind: "lit", value: null }
              : { kind: "fn", name: t.text };
      else throw new TemplateError(line, `unexpected "${t.text}"`);
      // `(…).field` chains onto the operand just read.
      while (toks[at]?.kind === "field" && !toks[at]?.spaced && op.kind === "field") {
        op.path = [...op.path, ...(toks[at] as Token).path];
        at++;
      }
      list.at(-1)?.push(op);
    }
    if (list.some((c) => !c.length)) throw new TemplateError(line, "missing command in pipeline");
    return list;
  };
  cmds.push(...parseCmds(false));
  return { decl, cmds };
}

// ---- evaluation ----

const isMap = (v: Value): v is Record<string, Value> => v !== null && typeof v === "object" && !Array.isArray(v);

function truthy(v: Value): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === "") return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isMap(v)) return Object.keys(v).length > 0;
  return true;
}

export function formatValue(v: Value): string {
  if (v === undefined || v === null) return "<no value>";
  if (Array.isArray(v)) return `[${v.map(formatValue).join(" ")}]`;
  if (isMap(v))
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${formatValue(v[k])}`)
      .join(" ")}]`;
  return String(v);
}

const num = (v: Value, fn: string, line: number): number => {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  if (typeof n !== "number" || Number.isNaN(n))
    throw new TemplateError(line, `${fn}: ${formatValue(v)} is not a number`);
  return n;
};

function printf(format: string, args: Value[]): string {
  let i = 0;
  return format.replace(/%([-+ 0#]*)(\d+)?(?:\.(\d+))?([dsvqxXfteg%])/g, (_m, flags: string, width, prec, verb) => {
    if (verb === "%") return "%";
    const a = args[i++];
    let s: string;
    if (verb === "d") s = String(Math.trunc(Number(a)));
    else if (verb === "f") s = Number(a).toFixed(prec === undefined ? 6 : Number(prec));
    else if (verb === "q") s = JSON.stringify(formatValue(a));
    else if (verb === "x" || verb === "X") {
      s =
        typeof a === "number"
          ? a.toString(16)
          : [...new TextEncoder().encode(String(a))].map((b) => b.toString(16).padStart(2, "0")).join("");
      if (verb === "X") s = s.toUpperCase();
    } else s = formatValue(a);
    if (width) {
      const w = Number(width);
      if (flags.includes("-")) s = s.padEnd(w);
      else s = s.padStart(w, flags.includes("0") && /[dfxX]/.test(verb) ? "0" : " ");
    }
    return s;
  });
}

type Fn = (line: number, ...args: Value[]) => Value;

const eq = (a: Value, b: Value) => a === b || (typeof a === "number" && typeof b === "string" && String(a) === b);

const FUNCS: Record<string, Fn> = {
  // Go's builtins
  and: (_l, ...a) => a.find((x) => !truthy(x)) ?? a.at(-1),
  or: (_l, ...a) => a.find((x) => truthy(x)) ?? a.at(-1),
  not: (_l, a) => !truthy(a),
  len: (l, a) => {
    if (typeof a === "string" || Array.isArray(a)) return a.length;
    if (isMap(a)) return Object.keys(a).length;
    throw new TemplateError(l, `len of ${formatValue(a)}`);
  },
  index: (l, x, ...keys) => {
    let v = x;
    for (const k of keys) {
      if (Array.isArray(v)) v = v[num(k, "index", l)];
      else if (isMap(v)) v = v[String(k)];
      else throw new TemplateError(l, `index of ${formatValue(v)} by ${formatValue(k)}`);
    }
    return v;
  },
  eq: (_l, a, ...b) => b.some((x) => eq(a, x) || eq(x, a)),
  ne: (_l, a, b) => !(eq(a, b) || eq(b, a)),
  lt: (l, a, b) => (typeof a === "string" ? a < String(b) : num(a, "lt", l) < num(b, "lt", l)),
  le: (l, a, b) => (typeof a === "string" ? a <= String(b) : num(a, "le", l) <= num(b, "le", l)),
  gt: (l, a, b) => (typeof a === "string" ? a > String(b) : num(a, "gt", l) > num(b, "gt", l)),
  ge: (l, a, b) => (typeof a === "string" ? a >= String(b) : num(a, "ge", l) >= num(b, "ge", l)),
  print: (_l, ...a) => a.map(formatValue).join(""),
  println: (_l, ...a) => `${a.map(formatValue).join(" ")}\n`,
  printf: (_l, f, ...a) => printf(String(f), a),
  // sprig: numbers and lists
  add: (l, ...a) => a.reduce((s: number, x) => s + num(x, "add", l), 0),
  add1: (l, a) => num(a, "add1", l) + 1,
  sub: (l, a, b) => num(a, "sub", l) - num(b, "sub", l),
  mul: (l, ...a) => a.reduce((s: number, x) => s * num(x, "mul", l), 1),
  div: (l, a, b) => Math.trunc(num(a, "div", l) / num(b, "div", l)),
  mod: (l, a, b) => num(a, "mod", l) % num(b, "mod", l),
  max: (l, ...a) => Math.max(...a.map((x) => num(x, "max", l))),
  min: (l, ...a) => Math.min(...a.map((x) => num(x, "min", l))),
  until: (l, n) => Array.from({ length: Math.max(0, num(n, "until", l)) }, (_, i) => i),
  untilStep: (l, start, stop, step) => {
    const out: number[] = [];
    const [a, b, s] = [num(start, "untilStep", l), num(stop, "untilStep", l), num(step, "untilStep", l)];
    if (s === 0) return out;
    for (let i = a; s > 0 ? i < b : i > b; i += s) out.push(i);
    return out;
  },
  // sprig's seq answers a string, like the shell's.
  seq: (l, ...a) => {
    const n = a.map((x) => num(x, "seq", l));
    const [start, step, end] = n.length === 1 ? [1, 1, n[0]] : n.length === 2 ? [n[0], 1, n[1]] : [n[0], n[1], n[2]];
    const out: number[] = [];
    const dir = (start as number) <= (end as number) ? 1 : -1;
    const inc = Math.abs(step as number) * dir || dir;
    for (let i = start as number; dir > 0 ? i <= (end as number) : i >= (end as number); i += inc) out.push(i);
    return out.join(" ");
  },
  list: (_l, ...a) => a,
  dict: (_l, ...a) => {
    const out: Record<string, Value> = {};
    for (let i = 0; i < a.length; i += 2) out[String(a[i])] = a[i + 1];
    return out;
  },
  first: (_l, a) => (Array.isArray(a) ? a[0] : undefined),
  last: (_l, a) => (Array.isArray(a) ? a.at(-1) : undefined),
  has: (_l, x, a) => Array.isArray(a) && a.some((y) => eq(y, x)),
  keys: (_l, m) => (isMap(m) ? Object.keys(m).sort() : []),
  hasKey: (_l, m, k) => isMap(m) && String(k) in m,
  // sprig: strings and defaults
  default: (_l, d, v) => (truthy(v) ? v : d),
  empty: (_l, v) => !truthy(v),
  coalesce: (_l, ...a) => a.find(truthy),
  ternary: (_l, a, b, c) => (truthy(c) ? a : b),
  toString: (_l: number, v: Value) => formatValue(v),
  int: (l, v) => Math.trunc(num(v, "int", l)),
  atoi: (l, v) => Math.trunc(num(v, "atoi", l)),
  quote: (_l, ...a) => a.map((x) => JSON.stringify(formatValue(x))).join(" "),
  squote: (_l, ...a) => a.map((x) => `'${formatValue(x)}'`).join(" "),
  upper: (_l, s) => formatValue(s).toUpperCase(),
  lower: (_l, s) => formatValue(s).toLowerCase(),
  trim: (_l, s) => formatValue(s).trim(),
  trimPrefix: (_l, p, s) =>
    formatValue(s).startsWith(String(p)) ? formatValue(s).slice(String(p).length) : formatValue(s),
  trimSuffix: (_l, p, s) =>
    formatValue(s).endsWith(String(p)) && String(p) ? formatValue(s).slice(0, -String(p).length) : formatValue(s),
  replace: (_l, a, b, s) => formatValue(s).split(String(a)).join(String(b)),
  contains: (_l, sub, s) => formatValue(s).includes(String(sub)),
  hasPrefix: (_l, p, s) => formatValue(s).startsWith(String(p)),
  hasSuffix: (_l, p, s) => formatValue(s).endsWith(String(p)),
  repeat: (l, n, s) => formatValue(s).repeat(num(n, "repeat", l)),
  join: (_l, sep, a) => (Array.isArray(a) ? a.map(formatValue).join(String(sep)) : formatValue(a)),
  splitList: (_l, sep, s) => formatValue(s).split(String(sep)),
};

class Scope {
  private frames: Map<string, Value>[] = [];
  constructor(root: Value) {
    this.frames.push(new Map([["$", root]]));
  }
  push() {
    this.frames.push(new Map());
  }
  pop() {
    this.frames.pop();
  }
  declare(name: string, v: Value) {
    this.frames.at(-1)?.set(name, v);
  }
  assign(name: string, v: Value, line: number) {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i] as Map<string, Value>;
      if (f.has(name)) {
        f.set(name, v);
        return;
      }
    }
    throw new TemplateError(line, `undefined variable: ${name}`);
  }
  get(name: string, line: number): Value {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i] as Map<string, Value>;
      if (f.has(name)) return f.get(name);
    }
    throw new TemplateError(line, `undefined variable: ${name}`);
  }
}

function field(v: Value, path: string[]): Value {
  let out = v;
  for (const k of path) out = isMap(out) ? out[k] : undefined;
  return out;
}

function evalPipe(p: Pipe, dot: Value, scope: Scope, line: number): Value {
  let piped: Value;
  let first = true;
  for (const cmd of p.cmds) {
    const [head, ...rest] = cmd as [Operand, ...Operand[]];
    const arg = (o: Operand): Value => {
      if (o.kind === "lit") return o.value;
      if (o.kind === "fn") return call(o.name, [], line);
      const base =
        o.base === "dot" ? dot : "var" in o.base ? scope.get(o.base.var, line) : evalPipe(o.base.sub, dot, scope, line);
      return field(base, o.path);
    };
    if (head.kind === "fn") {
      const args = rest.map(arg);
      if (!first) args.push(piped);
      piped = call(head.name, args, line);
    } else {
      if (rest.length) throw new TemplateError(line, `can't give arguments to non-function ${formatValue(arg(head))}`);
      if (!first) throw new TemplateError(line, "can't pipe into a value that is not a function");
      piped = arg(head);
    }
    first = false;
  }
  if (p.decl) {
    const [a, b] = p.decl.names;
    if (p.decl.assign) scope.assign(a as string, piped, line);
    else if (b === undefined) scope.declare(a as string, piped);
  }
  return piped;
}

function call(name: string, args: Value[], line: number): Value {
  const fn = FUNCS[name];
  if (!fn) throw new TemplateError(line, `function "${name}" not defined`);
  return fn(line, ...args);
}

function run(nodes: TNode[], dot: Value, scope: Scope, out: string[], defs: Map<string, TNode[]>, depth = 0): void {
  for (const n of nodes) {
    if (n.kind === "text") out.push(n.text);
    else if (n.kind === "template") {
      const body = defs.get(n.name);
      if (!body) throw new TemplateError(n.line, `no such template "${n.name}"`);
      if (depth > 100) throw new TemplateError(n.line, `template "${n.name}" calls itself too deep`);
      const value = n.pipe ? evalPipe(n.pipe, dot, scope, n.line) : undefined;
      // A template runs with its own variables: only $ (its dot) is set.
      run(body, value, new Scope(value), out, defs, depth + 1);
    } else if (n.kind === "action") {
      const v = evalPipe(n.pipe, dot, scope, n.line);
      if (!n.pipe.decl) out.push(formatValue(v));
    } else if (n.kind === "if" || n.kind === "with") {
      scope.push();
      const v = evalPipe(n.pipe, dot, scope, n.line);
      if (truthy(v)) run(n.body, n.kind === "with" ? v : dot, scope, out, defs, depth);
      else run(n.otherwise, dot, scope, out, defs, depth);
      scope.pop();
    } else {
      const names = n.pipe.decl?.names ?? [];
      const v = evalPipe({ cmds: n.pipe.cmds }, dot, scope, n.line);
      const entries: [Value, Value][] = Array.isArray(v)
        ? v.map((e, i) => [i, e])
        : isMap(v)
          ? Object.keys(v)
              .sort()
              .map((k) => [k, v[k]])
          : typeof v === "number"
            ? Array.from({ length: Math.max(0, Math.trunc(v)) }, (_, i) => [i, i])
            : v === undefined || v === null
              ? []
              : (() => {
                  throw new TemplateError(n.line, `range can't iterate over ${formatValue(v)}`);
                })();
      if (!entries.length) run(n.otherwise, dot, scope, out, defs, depth);
      for (const [k, e] of entries) {
        scope.push();
        if (names.length === 1) scope.declare(names[0] as string, e);
        if (names.length === 2) {
          scope.declare(names[0] as string, k);
          scope.declare(names[1] as string, e);
        }
        run(n.body, e, scope, out, defs, depth);
        scope.pop();
      }
    }
  }
}

/** Renders `src` with `data` as dot (and `$`). Throws TemplateError with the source line. */
export function renderTemplate(src: string, data: Value): string {
  const parser = new Parser(segments(src));
  const nodes = parser.parse();
  const out: string[] = [];
  run(nodes, data, new Scope(data), out, parser.defs);
  return out.join("");
}
