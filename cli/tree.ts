// The command tree as data: names, descriptions and flags of every command, without the modules
// behind them. `lab --help`, `lab <cmd> --help` and shell completion read it (tree.generated.ts),
// so they start as fast as an empty program; scripts/gen-tree.ts writes it from the citty
// definitions and tree.test.ts fails when it is stale.

export interface ArgNode {
  name: string;
  type: "string" | "boolean" | "enum" | "positional";
  alias?: string[];
  description?: string;
  default?: string | boolean;
  options?: string[];
}

export interface CommandNode {
  name: string;
  description: string;
  /** Containerlab's verbs (deploy, destroy, apply): they work, help leaves them out. */
  hidden?: boolean;
  args: ArgNode[];
  subcommands: CommandNode[];
}

type Resolvable<T> = T | Promise<T> | (() => T | Promise<T>);
interface AnyDef {
  meta?: Resolvable<{ name?: string; description?: string; hidden?: boolean }>;
  args?: Resolvable<Record<string, Record<string, unknown>>>;
  subCommands?: Resolvable<Record<string, Resolvable<AnyDef>>>;
}

const resolve = async <T>(v: Resolvable<T>): Promise<T> =>
  typeof v === "function" ? await (v as () => T | Promise<T>)() : await v;

/** Walks citty definitions (loading every command module): for the generator and its test. */
export async function buildTree(def: AnyDef, name?: string): Promise<CommandNode> {
  const meta = (await resolve(def.meta ?? {})) ?? {};
  const args = (await resolve(def.args ?? {})) ?? {};
  const subs = (await resolve(def.subCommands ?? {})) ?? {};
  const subcommands: CommandNode[] = [];
  for (const [sub, value] of Object.entries(subs)) {
    // Internal entry points (share _run) are not commands a user types.
    if (sub.startsWith("_")) continue;
    subcommands.push(await buildTree(await resolve(value), sub));
  }
  return {
    name: name ?? meta.name ?? "",
    description: meta.description ?? "",
    ...(meta.hidden ? { hidden: true } : {}),
    args: Object.entries(args).map(([argName, a]) => {
      const alias = a.alias === undefined ? [] : Array.isArray(a.alias) ? (a.alias as string[]) : [a.alias as string];
      return {
        name: argName,
        type: (a.type as ArgNode["type"]) ?? "string",
        ...(alias.length ? { alias } : {}),
        ...(a.description ? { description: a.description as string } : {}),
        ...(a.default !== undefined ? { default: a.default as string | boolean } : {}),
        ...(a.options ? { options: a.options as string[] } : {}),
      };
    }),
    subcommands,
  };
}

/** Whether `flag` (`--name`, `-n`) takes a value in `node`: the next word is then not a command. */
export function takesValue(node: CommandNode, flag: string): boolean {
  if (flag.includes("=")) return false;
  const bare = flag.replace(/^-{1,2}/, "");
  const arg = node.args.find((a) => a.name === bare || a.alias?.includes(bare));
  return !!arg && (arg.type === "string" || arg.type === "enum");
}

/** The command the words name (as citty finds it), and the words after it. */
export function findCommand(root: CommandNode, words: string[]): { path: CommandNode[]; rest: string[] } {
  const path = [root];
  let rest = words;
  for (;;) {
    const node = path[path.length - 1] as CommandNode;
    let i = 0;
    while (i < rest.length && (rest[i] as string).startsWith("-")) i += takesValue(node, rest[i] as string) ? 2 : 1;
    const word = rest[i];
    const sub = word === undefined ? undefined : node.subcommands.find((s) => s.name === word);
    if (!sub) return { path, rest };
    path.push(sub);
    rest = rest.slice(i + 1);
  }
}
