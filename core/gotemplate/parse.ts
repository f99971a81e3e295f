// The parser of Go's text/template (parse/parse.go): actions, pipelines with declarations, control
// structures with else-if/else-with chains, define/block/template, break/continue inside range, and
// the parse-time checks Go makes (functions must exist, variables must be declared).

import { TemplateError } from "./errors.ts";
import { type Item, type ItemType, isKeyword, lex } from "./lex.ts";

export interface NumberNode {
  type: "number";
  line: number;
  text: string;
  isInt: boolean;
  isFloat: boolean;
  int: bigint;
  float: number;
}

export type ArgNode =
  | { type: "field"; line: number; ident: string[] }
  | { type: "variable"; line: number; ident: string[] }
  | { type: "chain"; line: number; node: ArgNode; fields: string[] }
  | { type: "identifier"; line: number; name: string }
  | { type: "dot"; line: number }
  | { type: "nil"; line: number }
  | { type: "bool"; line: number; value: boolean }
  | { type: "string"; line: number; text: string; quoted: string }
  | NumberNode
  | PipeNode;

export interface CommandNode {
  line: number;
  args: ArgNode[];
}

export interface PipeNode {
  type: "pipe";
  line: number;
  isAssign: boolean;
  decl: string[];
  cmds: CommandNode[];
}

export interface ControlNode {
  type: "if" | "with" | "range";
  line: number;
  pipe: PipeNode;
  list: TreeNode[];
  elseList?: TreeNode[];
}

export interface TemplateNode {
  type: "template";
  line: number;
  name: string;
  pipe?: PipeNode;
}

export type TreeNode =
  | { type: "text"; text: string }
  | { type: "action"; line: number; pipe: PipeNode }
  | ControlNode
  | TemplateNode
  | { type: "break" | "continue"; line: number };

export interface Tree {
  name: string;
  /** The file the tree came from, for messages. */
  file: string;
  root: TreeNode[];
}

const GO_ESCAPES: Record<string, string> = {
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\\": "\\",
  "'": "'",
  '"': '"',
};

/** strconv.Unquote for "…", `…` and '…'. */
export function unquote(text: string): string {
  const q = text[0];
  if (q === "`") return text.slice(1, -1).replaceAll("\r", "");
  const body = text.slice(1, -1);
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c !== "\\") {
      if (c === q) throw new Error("invalid syntax");
      out += c;
      continue;
    }
    const e = body[++i];
    if (e !== undefined && e in GO_ESCAPES) {
      if ((e === "'" && q === '"') || (e === '"' && q === "'")) throw new Error("invalid syntax");
      out += GO_ESCAPES[e];
    } else if (e === "x" || e === "u" || e === "U") {
      const n = e === "x" ? 2 : e === "u" ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) throw new Error("invalid syntax");
      const code = Number.parseInt(hex, 16);
      if (e === "x") out += String.fromCharCode(code);
      else {
        if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) throw new Error("invalid syntax");
        out += String.fromCodePoint(code);
      }
      i += n;
    } else if (e !== undefined && e >= "0" && e <= "7") {
      const oct = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(oct) || Number.parseInt(oct, 8) > 255) throw new Error("invalid syntax");
      out += String.fromCharCode(Number.parseInt(oct, 8));
      i += 2;
    } else throw new Error("invalid syntax");
  }
  return out;
}

/** strconv.ParseInt(text, 0, 64): base prefixes, a leading 0 for octal, underscores between digits. */
export function parseGoInt(text: string): bigint | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|0[0-7_]*|[1-9][0-9_]*)$/.exec(text);
  if (!m) return undefined;
  let body = m[2] as string;
  // Underscores only between digits (or after a base prefix).
  if (body.includes("_")) {
    const base = /^0[xXbBoO]/.test(body) ? body.slice(2) : body.startsWith("0") ? body.slice(1) : body;
    if (/^_|__|_$/.test(base.replace(/^(?=_)/, "")) && !/^_?[^_]+(_[^_]+)*$/.test(base)) return undefined;
    body = body.replaceAll("_", "");
  }
  let value: bigint;
  if (/^0[xX]/.test(body)) value = BigInt(body);
  else if (/^0[bB]/.test(body)) value = BigInt(body);
  else if (/^0[oO]/.test(body)) value = BigInt(body);
  else if (body.length > 1 && body.startsWith("0")) value = BigInt(`0o${body.slice(1)}`);
  else value = BigInt(body);
  if (m[1] === "-") value = -value;
  if (value > 0x7fffffffffffffffn || value < -0x8000000000000000n) return undefined;
  return value;
}

/** strconv.ParseFloat(text, 64) for decimal and hex-float syntax. */
export function parseGoFloat(text: string): number | undefined {
  const t = text.replaceAll("_", "");
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number(t);
  const hex = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/.exec(t);
  if (hex && (hex[2] || hex[3])) {
    const mant = Number.parseInt(`${hex[2] || "0"}${hex[3]}`, 16) / 16 ** (hex[3] as string).length;
    const v = mant * 2 ** Number(hex[4]);
    return hex[1] === "-" ? -v : v;
  }
  if (/^[+-]?(inf|infinity)$/i.test(t)) return t.startsWith("-") ? -Infinity : Infinity;
  if (/^nan$/i.test(t)) return Number.NaN;
  return undefined;
}

function numberNode(text: string, typ: ItemType, line: number): NumberNode {
  const node: NumberNode = { type: "number", line, text, isInt: false, isFloat: false, int: 0n, float: 0 };
  if (typ === "charConstant") {
    let s: string;
    try {
      s = unquote(text);
    } catch {
      throw new Error(`malformed character constant: ${text}`);
    }
    if ([...s].length !== 1) throw new Error(`malformed character constant: ${text}`);
    const rune = s.codePointAt(0) as number;
    return { ...node, isInt: true, isFloat: true, int: BigInt(rune), float: rune };
  }
  const i = parseGoInt(text);
  if (i !== undefined) return { ...node, isInt: true, isFloat: true, int: i, float: Number(i) };
  const f = parseGoFloat(text);
  if (f !== undefined) {
    if (!/[.eEpP]/.test(text)) throw new Error(`integer overflow: ${JSON.stringify(text)}`);
    const asInt = Number.isInteger(f) && Math.abs(f) < 2 ** 63;
    return { ...node, isFloat: true, float: f, isInt: asInt, int: asInt ? BigInt(f) : 0n };
  }
  throw new Error(`illegal number syntax: ${JSON.stringify(text)}`);
}

function itemString(i: Item): string {
  if (i.typ === "eof") return "EOF";
  if (i.typ === "error") return i.val;
  if (isKeyword(i.typ)) return `<${i.val}>`;
  if (i.val.length > 10) return `${JSON.stringify(i.val.slice(0, 10))}...`;
  return JSON.stringify(i.val);
}

/**
 * Parses one template text into its trees: the text itself under `name`, plus every define and
 * block. A name defined twice in one text is an error, as in Go.
 */
export function parse(name: string, text: string, file: string, hasFunction: (name: string) => boolean): Tree[] {
  const items = lex(text);
  let at = 0;
  const trees: Tree[] = [];
  const fail = (line: number, message: string, tree = name): never => {
    throw new TemplateError(message, { file, line, template: tree, phase: "parse" });
  };

  // Actions waiting for their {{end}}, for a clearer message than Go's "unexpected EOF".
  const open: { word: string; line: number }[] = [];
  // A lexer error inside an action that began on an earlier line says where the action began.
  let delimLine = 0;
  const lexError = (item: Item): never => {
    const extra =
      delimLine && delimLine !== item.line
        ? `${item.val.endsWith(" action") ? "" : " in action"} started at line ${delimLine}`
        : "";
    return fail(item.line, `${item.val}${extra}`);
  };
  const next = (): Item => {
    const item = items[at++] as Item;
    if (item.typ === "error") lexError(item);
    if (item.typ === "leftDelim") delimLine = item.line;
    return item;
  };
  const backup = (n = 1) => {
    at -= n;
  };
  const peek = (): Item => {
    const item = items[at] as Item;
    if (item.typ === "error") lexError(item);
    return item;
  };
  const nextNonSpace = (): Item => {
    let item = next();
    while (item.typ === "space") item = next();
    return item;
  };
  const peekNonSpace = (): Item => {
    const item = nextNonSpace();
    backup();
    return item;
  };

  /** Parses one tree (the main text, a define or a block body). */
  const tree = (treeName: string) => {
    const vars = ["$"];
    let rangeDepth = 0;
    let actionLine = 0;
    const errorf = (line: number, message: string): never => fail(line, message, treeName);
    const unexpected = (item: Item, context: string): never =>
      errorf(item.line, `unexpected ${itemString(item)} in ${context}`);
    const expect = (typ: ItemType, context: string) => {
      const item = nextNonSpace();
      if (item.typ !== typ) unexpected(item, context);
      return item;
    };

    const useVar = (item: Item): ArgNode => {
      const ident = item.val.split(".");
      if (!vars.includes(ident[0] as string)) errorf(item.line, `undefined variable "${ident[0]}"`);
      return { type: "variable", line: item.line, ident };
    };

    const term = (): ArgNode | undefined => {
      const token = nextNonSpace();
      switch (token.typ) {
        case "identifier":
          if (!hasFunction(token.val)) errorf(token.line, `function "${token.val}" not defined`);
          return { type: "identifier", line: token.line, name: token.val };
        case "dot":
          return { type: "dot", line: token.line };
        case "nil":
          return { type: "nil", line: token.line };
        case "variable":
          return useVar(token);
        case "field":
          return { type: "field", line: token.line, ident: token.val.slice(1).split(".") };
        case "bool":
          return { type: "bool", line: token.line, value: token.val === "true" };
        case "charConstant":
        case "number":
          try {
            return numberNode(token.val, token.typ, token.line);
          } catch (error) {
            return errorf(token.line, (error as Error).message);
          }
        case "leftParen":
          return pipeline("parenthesized pipeline", "rightParen");
        case "string":
        case "rawString":
          try {
            return { type: "string", line: token.line, text: unquote(token.val), quoted: token.val };
          } catch (error) {
            return errorf(token.line, (error as Error).message);
          }
      }
      backup();
      return undefined;
    };

    const operand = (): ArgNode | undefined => {
      const node = term();
      if (!node) return undefined;
      if (peek().typ !== "field") return node;
      const fields: string[] = [];
      while (peek().typ === "field") fields.push(...next().val.slice(1).split("."));
      switch (node.type) {
        case "field":
          return { ...node, ident: [...node.ident, ...fields] };
        case "variable":
          return { ...node, ident: [...node.ident, ...fields] };
        case "bool":
        case "string":
        case "number":
        case "nil":
        case "dot":
          return errorf(node.line, `unexpected . after term ${JSON.stringify(argString(node))}`);
        default:
          return { type: "chain", line: node.line, node, fields };
      }
    };

    const command = (): CommandNode => {
      const cmd: CommandNode = { line: peekNonSpace().line, args: [] };
      for (;;) {
        peekNonSpace();
        const op = operand();
        if (op) cmd.args.push(op);
        const token = next();
        if (token.typ === "space") continue;
        if (token.typ === "rightDelim" || token.typ === "rightParen") backup();
        else if (token.typ !== "pipe") unexpected(token, "operand");
        break;
      }
      if (!cmd.args.length) errorf(cmd.line, "empty command");
      return cmd;
    };

    const pipeline = (context: string, end: ItemType): PipeNode => {
      const first = peekNonSpace();
      const pipe: PipeNode = { type: "pipe", line: first.line, isAssign: false, decl: [], cmds: [] };
      for (;;) {
        const v = peekNonSpace();
        if (v.typ !== "variable") break;
        const mark = at;
        next();
        const nx = peekNonSpace();
        if (nx.typ === "assign" || nx.typ === "declare") {
          pipe.isAssign = nx.typ === "assign";
          nextNonSpace();
          pipe.decl.push(v.val);
          vars.push(v.val);
          break;
        }
        if (nx.typ === "char" && nx.val === ",") {
          nextNonSpace();
          pipe.decl.push(v.val);
          vars.push(v.val);
          if (context === "range" && pipe.decl.length < 2) {
            const t = peekNonSpace().typ;
            if (t === "variable" || t === "rightDelim" || t === "rightParen") continue;
            errorf(v.line, "range can only initialize variables");
          }
          errorf(v.line, `too many declarations in ${context}`);
        }
        // Not a declaration: the variable is the pipeline's first operand.
        at = mark;
        break;
      }
      for (;;) {
        const token = nextNonSpace();
        if (token.typ === end) {
          if (!pipe.cmds.length) errorf(token.line, `missing value for ${context}`);
          pipe.cmds.slice(1).forEach((c, i) => {
            const t = c.args[0]?.type;
            if (t === "bool" || t === "dot" || t === "nil" || t === "number" || t === "string")
              errorf(c.line, `non executable command in pipeline stage ${i + 2}`);
          });
          return pipe;
        }
        switch (token.typ) {
          case "bool":
          case "charConstant":
          case "dot":
          case "field":
          case "identifier":
          case "number":
          case "nil":
          case "rawString":
          case "string":
          case "variable":
          case "leftParen":
            backup();
            pipe.cmds.push(command());
            break;
          default:
            unexpected(token, context);
        }
      }
    };

    const itemList = (): { list: TreeNode[]; end: Item & { node: "end" | "else" } } => {
      const list: TreeNode[] = [];
      while (peekNonSpace().typ !== "eof") {
        const n = textOrAction();
        if ("endItem" in n) return { list, end: n.endItem };
        list.push(n);
      }
      // Go says only "unexpected EOF"; the action left open is what to fix.
      const last = open.at(-1);
      if (last) return fail(last.line, `{{${last.word}}} has no {{end}} (unexpected EOF)`, treeName);
      return errorf(peek().line, "unexpected EOF");
    };

    type Parsed = TreeNode | { endItem: Item & { node: "end" | "else" } };

    const parseControl = (context: "if" | "with" | "range") => {
      const mark = vars.length;
      const pipe = pipeline(context, "rightDelim");
      if (context === "range") rangeDepth++;
      const { list, end } = itemList();
      if (context === "range") rangeDepth--;
      let elseList: TreeNode[] | undefined;
      if (end.node === "else") {
        // {{else if …}} and {{else with …}}: an if (with) inside the else, sharing the {{end}}.
        if (context === "if" && peek().typ === "if") {
          next();
          elseList = [control("if")];
        } else if (context === "with" && peek().typ === "with") {
          next();
          elseList = [control("with")];
        } else {
          const rest = itemList();
          if (rest.end.node !== "end") errorf(rest.end.line, `expected end; found ${itemName(rest.end)}`);
          elseList = rest.list;
        }
      }
      vars.length = mark;
      return { pipe, list, elseList };
    };

    const control = (context: "if" | "with" | "range"): TreeNode => {
      const line = actionLine;
      open.push({ word: context, line });
      const { pipe, list, elseList } = parseControl(context);
      open.pop();
      return { type: context, line, pipe, list, elseList };
    };

    const templateName = (token: Item, context: string) => {
      if (token.typ !== "string" && token.typ !== "rawString") unexpected(token, context);
      try {
        return unquote(token.val);
      } catch (error) {
        return errorf(token.line, (error as Error).message);
      }
    };

    const action = (): Parsed => {
      const token = nextNonSpace();
      switch (token.typ) {
        case "block": {
          const context = "block clause";
          const nameItem = nextNonSpace();
          const blockName = templateName(nameItem, context);
          const pipe = pipeline(context, "rightDelim");
          const body = tree(blockName);
          open.push({ word: "block", line: token.line });
          const { list, end } = body.itemList();
          open.pop();
          if (end.node !== "end") errorf(end.line, `unexpected ${itemName(end)} in ${context}`);
          add({ name: blockName, file, root: list });
          return { type: "template", line: token.line, name: blockName, pipe };
        }
        case "break":
        case "continue": {
          const close = nextNonSpace();
          if (close.typ !== "rightDelim") unexpected(close, `{{${token.typ}}}`);
          if (rangeDepth === 0) errorf(token.line, `{{${token.typ}}} outside {{range}}`);
          return { type: token.typ, line: token.line };
        }
        case "else": {
          const p = peekNonSpace();
          if (p.typ === "if" || p.typ === "with") return { endItem: { ...p, node: "else" } };
          const close = expect("rightDelim", "else");
          return { endItem: { ...close, node: "else" } };
        }
        case "end": {
          const close = expect("rightDelim", "end");
          return { endItem: { ...close, node: "end" } };
        }
        case "if":
        case "range":
        case "with":
          return control(token.typ);
        case "template": {
          const context = "template clause";
          const nameItem = nextNonSpace();
          const tName = templateName(nameItem, context);
          let pipe: PipeNode | undefined;
          if (nextNonSpace().typ !== "rightDelim") {
            backup();
            pipe = pipeline(context, "rightDelim");
          }
          return { type: "template", line: token.line, name: tName, pipe };
        }
      }
      backup();
      const start = peek();
      return { type: "action", line: start.line, pipe: pipeline("command", "rightDelim") };
    };

    const textOrAction = (): Parsed => {
      const token = nextNonSpace();
      switch (token.typ) {
        case "text":
          return { type: "text", text: token.val };
        case "leftDelim": {
          const saved = actionLine;
          actionLine = token.line;
          try {
            return action();
          } finally {
            actionLine = saved;
          }
        }
      }
      return unexpected(token, "input");
    };

    return { itemList, textOrAction };
  };

  const add = (t: Tree) => {
    const existing = trees.find((x) => x.name === t.name);
    if (!existing) {
      trees.push(t);
      return;
    }
    if (isEmpty(existing.root)) {
      trees[trees.indexOf(existing)] = t;
      return;
    }
    if (!isEmpty(t.root)) fail(0, `template: multiple definition of template "${t.name}"`);
  };

  // The top level: text and actions, with {{define}} allowed only here.
  const main = tree(name);
  const root: TreeNode[] = [];
  while (peek().typ !== "eof") {
    if (peek().typ === "leftDelim") {
      const delim = next();
      if (nextNonSpace().typ === "define") {
        const context = "define clause";
        const nameItem = nextNonSpace();
        if (nameItem.typ !== "string" && nameItem.typ !== "rawString")
          fail(nameItem.line, `unexpected ${itemString(nameItem)} in ${context}`);
        const defName = unquote(nameItem.val);
        const close = nextNonSpace();
        if (close.typ !== "rightDelim") fail(close.line, `unexpected ${itemString(close)} in ${context}`);
        const body = tree(defName);
        open.push({ word: "define", line: nameItem.line });
        const { list, end } = body.itemList();
        open.pop();
        if (end.node !== "end") fail(end.line, `unexpected ${itemName(end)} in ${context}`, defName);
        add({ name: defName, file, root: list });
        continue;
      }
      at = items.indexOf(delim);
    }
    const n = main.textOrAction();
    if ("endItem" in n) fail(n.endItem.line, `unexpected ${n.endItem.node === "end" ? "{{end}}" : "{{else}}"}`);
    else root.push(n);
  }
  add({ name, file, root });
  return trees;
}

const itemName = (end: { node: "end" | "else" }) => (end.node === "end" ? "{{end}}" : "{{else}}");

/** Go's IsEmptyTree: only white-space text (and nothing else) counts as empty. */
function isEmpty(nodes: TreeNode[]): boolean {
  return nodes.every((n) => n.type === "text" && n.text.trim() === "");
}

export function argString(n: ArgNode): string {
  switch (n.type) {
    case "field":
      return `.${n.ident.join(".")}`;
    case "variable":
      return n.ident.join(".");
    case "chain":
      return `${n.node.type === "pipe" ? `(${argString(n.node)})` : argString(n.node)}.${n.fields.join(".")}`;
    case "identifier":
      return n.name;
    case "dot":
      return ".";
    case "nil":
      return "nil";
    case "bool":
      return String(n.value);
    case "string":
      return n.quoted;
    case "number":
      return n.text;
    case "pipe":
      return `${n.decl.length ? `${n.decl.join(", ")} ${n.isAssign ? "=" : ":="} ` : ""}${n.cmds
        .map((c) => c.args.map((a) => (a.type === "pipe" ? `(${argString(a)})` : argString(a))).join(" "))
        .join(" | ")}`;
  }
}
