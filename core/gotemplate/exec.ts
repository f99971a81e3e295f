// The executor of Go's text/template (exec.go): pipelines, variables with Go's scoping, field and
// method chains, function calls with Go's argument checks and conversions, range over slices, maps
// and integers with break/continue, and template invocation without dynamic scoping.

import { TemplateError } from "./errors.ts";
import { formatV } from "./fmt.ts";
import {
  type ArgNode,
  argString,
  type CommandNode,
  type ControlNode,
  type NumberNode,
  type PipeNode,
  type TemplateNode,
  type TreeNode,
} from "./parse.ts";
import {
  GoCallError,
  GoFunc,
  GoStruct,
  isMap,
  isTrue,
  kindOf,
  type ParamType,
  sortedKeys,
  typeName,
} from "./values.ts";

/** Where templates and functions are looked up while executing. */
export interface ExecEnv {
  lookup(name: string): { root: TreeNode[]; file: string } | undefined;
  func(name: string): GoFunc | undefined;
  /** Builtins with special evaluation (and, or). */
  isBuiltin(name: string): boolean;
}

const MISSING = Symbol("missing");
type Final = unknown | typeof MISSING;

class BreakSignal {}
class ContinueSignal {}

/** Nested template calls allowed (Go allows 100000; JavaScript's stack would not). */
const MAX_DEPTH = 1000;

const paramName: Record<ParamType, string> = {
  any: "interface {}",
  value: "reflect.Value",
  string: "string",
  bool: "bool",
  int: "int",
};

export class Executor {
  private vars: { name: string; value: unknown }[] = [];
  private line = 0;

  constructor(
    private readonly env: ExecEnv,
    private readonly out: string[],
    private readonly template: string,
    private readonly file: string,
    private readonly depth = 0,
  ) {}

  run(root: TreeNode[], dot: unknown): void {
    this.vars = [{ name: "$", value: dot }];
    this.walk(dot, root);
  }

  private errorf(message: string): never {
    throw new TemplateError(message, { file: this.file, line: this.line, template: this.template, phase: "exec" });
  }

  private at(node: { line: number }) {
    this.line = node.line;
  }

  private mark = () => this.vars.length;
  private pop(mark: number) {
    this.vars.length = mark;
  }
  private push(name: string, value: unknown) {
    this.vars.push({ name, value });
  }
  private setVar(name: string, value: unknown) {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i] as { name: string; value: unknown };
      if (v.name === name) {
        v.value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }
  private setTopVar(n: number, value: unknown) {
    (this.vars[this.vars.length - n] as { value: unknown }).value = value;
  }
  private varValue(name: string): unknown {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i] as { name: string; value: unknown };
      if (v.name === name) return v.value;
    }
    return this.errorf(`undefined variable: ${name}`);
  }

  private walk(dot: unknown, nodes: TreeNode[]): void {
    for (const node of nodes) {
      switch (node.type) {
        case "text":
          this.out.push(node.text);
          break;
        case "action": {
          this.at(node);
          const val = this.evalPipeline(dot, node.pipe);
          if (!node.pipe.decl.length) this.printValue(node.pipe, val);
          break;
        }
        case "if":
        case "with": {
          this.at(node);
          const mark = this.mark();
          const val = this.evalPipeline(dot, node.pipe);
          if (isTrue(val)) this.walk(node.type === "with" ? val : dot, node.list);
          else if (node.elseList) this.walk(dot, node.elseList);
          this.pop(mark);
          break;
        }
        case "range":
          this.walkRange(dot, node);
          break;
        case "template":
          this.walkTemplate(dot, node);
          break;
        case "break":
          throw new BreakSignal();
        case "continue":
          throw new ContinueSignal();
      }
    }
  }

  private walkRange(dot: unknown, r: ControlNode): void {
    this.at(r);
    const outer = this.mark();
    const val = this.evalPipeline(dot, r.pipe);
    const mark = this.mark();
    const decl = r.pipe.decl;
    const one = (index: unknown, elem: unknown) => {
      if (decl.length > 0) {
        if (r.pipe.isAssign) this.setVar(decl[0] as string, decl.length > 1 ? index : elem);
        else this.setTopVar(1, elem);
      }
      if (decl.length > 1) {
        if (r.pipe.isAssign) this.setVar(decl[1] as string, elem);
        else this.setTopVar(2, index);
      }
      try {
        this.walk(elem, r.list);
      } catch (e) {
        if (!(e instanceof ContinueSignal)) throw e;
      } finally {
        this.pop(mark);
      }
    };
    let ran = false;
    try {
      switch (kindOf(val)) {
        case "slice":
          (val as unknown[]).forEach((e, i) => {
            ran = true;
            one(BigInt(i), e);
          });
          break;
        case "int": {
          if (decl.length > 1) this.errorf(`can't use ${formatV(val)} to iterate over more than one variable`);
          for (let i = 0n; i < (val as bigint); i++) {
            ran = true;
            one(undefined, i);
          }
          break;
        }
        case "map": {
          const m = val as Record<string, unknown>;
          for (const k of sortedKeys(m)) {
            ran = true;
            one(k, m[k]);
          }
          break;
        }
        case "invalid":
        case "nil":
          break;
        default:
          this.errorf(`range can't iterate over ${formatV(val)}`);
      }
    } catch (e) {
      if (!(e instanceof BreakSignal)) throw e;
    }
    if (!ran && r.elseList) this.walk(dot, r.elseList);
    this.pop(outer);
  }

  private walkTemplate(dot: unknown, t: TemplateNode): void {
    this.at(t);
    const tmpl = this.env.lookup(t.name);
    if (!tmpl) this.errorf(`template ${JSON.stringify(t.name)} not defined`);
    if (this.depth >= MAX_DEPTH) this.errorf(`exceeded maximum template depth (${MAX_DEPTH})`);
    // Variables declared by the pipeline persist here; the template itself sees only $.
    const value = t.pipe ? this.evalPipeline(dot, t.pipe) : undefined;
    new Executor(this.env, this.out, t.name, tmpl.file, this.depth + 1).run(tmpl.root, value);
  }

  private printValue(node: PipeNode, v: unknown): void {
    if (v instanceof GoFunc) this.errorf(`can't print ${argString(node)} of type func`);
    this.out.push(v === undefined ? "<no value>" : formatV(v));
  }

  evalPipeline(dot: unknown, pipe: PipeNode): unknown {
    this.at(pipe);
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
      // A nil interface is no value at all once it leaves a pipeline stage.
      if (value === null) value = undefined;
    }
    for (const name of pipe.decl) {
      if (pipe.isAssign) this.setVar(name, value);
      else this.push(name, value);
    }
    return value;
  }

  private notAFunction(args: ArgNode[], final: Final) {
    if (args.length > 1 || final !== MISSING)
      this.errorf(`can't give argument to non-function ${argString(args[0] as ArgNode)}`);
  }

  private evalCommand(dot: unknown, cmd: CommandNode, final: Final): unknown {
    const first = cmd.args[0] as ArgNode;
    this.at(first);
    switch (first.type) {
      case "field":
        return this.evalFieldChain(dot, dot, first.ident, cmd.args, final);
      case "chain":
        return this.evalChain(dot, first, cmd.args, final);
      case "identifier":
        return this.evalFunction(dot, first.name, cmd.args, final);
      case "pipe":
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case "variable":
        return this.evalVariable(dot, first, cmd.args, final);
    }
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case "bool":
        return first.value;
      case "dot":
        return dot;
      case "nil":
        return this.errorf("nil is not a command");
      case "number":
        return this.idealConstant(first);
      case "string":
        return first.text;
    }
  }

  private idealConstant(n: NumberNode): unknown {
    const hexInt = /^0[xX]/.test(n.text) && !/[pP]/.test(n.text);
    if (n.isFloat && !hexInt && !n.text.startsWith("'") && /[.eEpP]/.test(n.text)) return n.float;
    if (n.isInt) return n.int;
    return this.errorf(`${n.text} overflows int`);
  }

  private evalChain(dot: unknown, chain: Extract<ArgNode, { type: "chain" }>, args: ArgNode[], final: Final) {
    if (chain.node.type === "nil") this.errorf(`indirection through explicit nil in ${argString(chain)}`);
    const receiver = this.evalArg(dot, undefined, chain.node);
    return this.evalFieldChain(dot, receiver, chain.fields, args, final);
  }

  private evalVariable(dot: unknown, v: Extract<ArgNode, { type: "variable" }>, args: ArgNode[], final: Final) {
    const value = this.varValue(v.ident[0] as string);
    if (v.ident.length === 1) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(dot, value, v.ident.slice(1), args, final);
  }

  private evalFieldChain(dot: unknown, receiver: unknown, ident: string[], args: ArgNode[], final: Final): unknown {
    let r = receiver;
    for (let i = 0; i < ident.length - 1; i++) r = this.evalField(dot, ident[i] as string, [], MISSING, r);
    return this.evalField(dot, ident.at(-1) as string, args, final, r);
  }

  private evalField(dot: unknown, name: string, args: ArgNode[], final: Final, receiver: unknown): unknown {
    if (receiver === undefined) return undefined;
    if (receiver === null) this.errorf(`nil pointer evaluating interface {}.${name}`);
    const hasArgs = args.length > 1 || final !== MISSING;
    if (receiver instanceof GoStruct) {
      const method = receiver.methods[name];
      if (method) return this.evalCall(dot, method, false, name, args, final);
      if (Object.hasOwn(receiver.fields, name)) {
        if (hasArgs) this.errorf(`${name} has arguments but cannot be invoked as function`);
        return receiver.fields[name];
      }
    } else if (isMap(receiver)) {
      if (hasArgs) this.errorf(`${name} is not a method but has arguments`);
      return Object.hasOwn(receiver, name) ? receiver[name] : undefined;
    }
    return this.errorf(`can't evaluate field ${name} in type ${typeName(receiver)}`);
  }

  private evalFunction(dot: unknown, name: string, args: ArgNode[], final: Final): unknown {
    const fn = this.env.func(name);
    if (!fn) this.errorf(`"${name}" is not a defined function`);
    return this.evalCall(dot, fn, this.env.isBuiltin(name), name, args, final);
  }

  private evalCall(dot: unknown, fn: GoFunc, builtin: boolean, name: string, all: ArgNode[], final: Final): unknown {
    const args = all.slice(1);
    const numIn = args.length + (final === MISSING ? 0 : 1);
    let numFixed = args.length;
    if (fn.variadic) {
      numFixed = fn.params.length;
      if (numIn < numFixed)
        this.errorf(`wrong number of args for ${name}: want at least ${fn.params.length} got ${args.length}`);
    } else if (numIn !== fn.params.length) {
      this.errorf(`wrong number of args for ${name}: want ${fn.params.length} got ${numIn}`);
    }
    // and/or evaluate their arguments only as far as they need to.
    if (builtin && (name === "and" || name === "or")) {
      let v: unknown;
      for (const arg of args) {
        v = this.evalArg(dot, "value", arg);
        if (isTrue(v) === (name === "or")) return v;
      }
      if (final !== MISSING) v = this.validateType(final, "value");
      return v;
    }
    const argv: unknown[] = [];
    let i = 0;
    for (; i < numFixed && i < args.length; i++) argv.push(this.evalArg(dot, fn.params[i], args[i] as ArgNode));
    if (fn.variadic) for (; i < args.length; i++) argv.push(this.evalArg(dot, fn.variadic, args[i] as ArgNode));
    if (final !== MISSING) {
      let t = fn.params.at(-1) as ParamType;
      if (fn.variadic) t = numIn - 1 < numFixed ? (fn.params[numIn - 1] as ParamType) : fn.variadic;
      argv.push(this.validateType(final, t));
    }
    try {
      return fn.fn(...argv);
    } catch (error) {
      if (error instanceof TemplateError || error instanceof BreakSignal || error instanceof ContinueSignal)
        throw error;
      return this.errorf(`error calling ${name}: ${(error as Error).message}`);
    }
  }

  private evalArg(dot: unknown, typ: ParamType | undefined, n: ArgNode): unknown {
    this.at(n);
    switch (n.type) {
      case "dot":
        return this.validateType(dot, typ);
      case "nil":
        if (typ === "any" || typ === "value") return typ === "any" ? null : undefined;
        return this.errorf(`cannot assign nil to ${typ ? paramName[typ] : "interface {}"}`);
      case "field":
        return this.validateType(this.evalFieldChain(dot, dot, n.ident, [n], MISSING), typ);
      case "variable":
        return this.validateType(this.evalVariable(dot, n, [], MISSING), typ);
      case "pipe":
        return this.validateType(this.evalPipeline(dot, n), typ);
      case "identifier":
        return this.validateType(this.evalFunction(dot, n.name, [n], MISSING), typ);
      case "chain":
        return this.validateType(this.evalChain(dot, n, [], MISSING), typ);
    }
    switch (typ) {
      case "bool":
        return n.type === "bool" ? n.value : this.errorf(`expected bool; found ${argString(n)}`);
      case "int":
        return n.type === "number" && n.isInt ? n.int : this.errorf(`expected integer; found ${argString(n)}`);
      case "string":
        return n.type === "string" ? n.text : this.errorf(`expected string; found ${argString(n)}`);
      default:
        if (n.type === "bool") return n.value;
        if (n.type === "number") return this.idealConstant(n);
        return n.text;
    }
  }

  private validateType(value: unknown, typ: ParamType | undefined): unknown {
    if (value === undefined) {
      if (typ === undefined || typ === "value") return undefined;
      if (typ === "any") return null;
      return this.errorf(`invalid value; expected ${paramName[typ]}`);
    }
    const want = typ === "string" ? "string" : typ === "bool" ? "boolean" : typ === "int" ? "bigint" : undefined;
    if (want && typeof value !== want) {
      const got = value === null ? "interface {}" : typeName(value);
      this.errorf(`wrong type for value; expected ${paramName[typ as ParamType]}; got ${got}`);
    }
    return value;
  }
}

export { GoCallError };
