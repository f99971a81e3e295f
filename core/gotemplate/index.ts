// Go's text/template with Containerlab's function set: the engine Containerlab renders topologies
// and startup configurations with, so that a template behaves the same in lab and in Containerlab.

import { BUILTINS } from "./builtins.ts";
import { CLAB_FUNCS } from "./clab-funcs.ts";
import { TemplateError } from "./errors.ts";
import { Executor } from "./exec.ts";
import { parse, type Tree } from "./parse.ts";
import type { GoFunc } from "./values.ts";

export { TemplateError } from "./errors.ts";
export { formatV } from "./fmt.ts";
export { GoFunc, GoStruct, typedSlice } from "./values.ts";

/** Templates parsed together: each file's text under its name, and every define and block. */
export class TemplateSet {
  private readonly trees = new Map<string, Tree>();
  private readonly funcs: Record<string, GoFunc>;

  constructor(funcs: Record<string, GoFunc> = CLAB_FUNCS) {
    this.funcs = funcs;
  }

  hasFunction = (name: string) => Object.hasOwn(this.funcs, name) || Object.hasOwn(BUILTINS, name);

  /**
   * Adds a template text. A later file redefines a name an earlier one defined (as ParseFS does),
   * except that an empty definition never replaces a real one.
   */
  parse(name: string, text: string, file = name): this {
    for (const tree of parse(name, text, file, this.hasFunction)) {
      const old = this.trees.get(tree.name);
      const empty = tree.root.every((n) => n.type === "text" && n.text.trim() === "");
      if (old && empty) continue;
      this.trees.set(tree.name, tree);
    }
    return this;
  }

  has(name: string): boolean {
    return this.trees.has(name);
  }

  execute(name: string, data: unknown): string {
    const tree = this.trees.get(name);
    if (!tree)
      throw new TemplateError(`no template ${JSON.stringify(name)}`, {
        file: name,
        line: 0,
        template: name,
        phase: "exec",
      });
    const out: string[] = [];
    new Executor(
      {
        lookup: (n) => this.trees.get(n),
        func: (n) => (Object.hasOwn(this.funcs, n) ? this.funcs[n] : BUILTINS[n]),
        isBuiltin: (n) => !Object.hasOwn(this.funcs, n) && Object.hasOwn(BUILTINS, n),
      },
      out,
      name,
      tree.file,
    ).run(tree.root, data);
    return out.join("");
  }
}

/** Renders one template text with `data` as dot. */
export function renderTemplate(text: string, data: unknown, name = "template"): string {
  return new TemplateSet().parse(name, text).execute(name, data);
}
