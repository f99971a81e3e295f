import { type CommandNode, takesValue } from "./tree.ts";

// Containerlab's command line, as cobra and viper read it (cmd/root.go, cmd/viper.go), before citty
// sees it:
// - its persistent flags (-d/--debug, -t/--topo, --vars, --name, --timeout, -r/--runtime,
//   --log-level) go anywhere, also before the command (`containerlab -t lab.yml tools veth create`),
//   and every command takes them;
// - every flag may come from the environment: CLAB_<COMMAND PATH>_<FLAG> (CLAB_INSPECT_FORMAT,
//   CLAB_TOOLS_DISABLE_TX_OFFLOAD_CONTAINER), and the persistent ones also as CLAB_<FLAG>
//   (CLAB_NAME=lab1 containerlab inspect). A flag on the command line wins.

interface Persistent {
  name: string;
  alias: string[];
  value: boolean;
}

/** Containerlab's root persistent flags. */
export const PERSISTENT: Persistent[] = [
  { name: "debug", alias: ["d"], value: false },
  { name: "topo", alias: ["t"], value: true },
  { name: "vars", alias: [], value: true },
  { name: "name", alias: [], value: true },
  { name: "timeout", alias: [], value: true },
  { name: "runtime", alias: ["r"], value: true },
  { name: "log-level", alias: [], value: true },
];

/**
 * lab's verbs and Containerlab's aliases under Containerlab's command names, for
 * CLAB_<COMMAND>_<FLAG> (viper binds the command's name: CLAB_DEPLOY_RECONFIGURE reaches lab up).
 */
const CLAB_NAMES: Record<string, string> = {
  up: "deploy",
  dep: "deploy",
  apply: "deploy",
  down: "destroy",
  des: "destroy",
  rdep: "redeploy",
  ev: "events",
  gen: "generate",
  ins: "inspect",
  i: "inspect",
  val: "validate",
};

const bareOf = (word: string) => word.replace(/^-{1,2}/, "").split("=")[0] as string;

function localArg(node: CommandNode, word: string) {
  const bare = bareOf(word);
  const negated = bare.startsWith("no-") ? bare.slice(3) : undefined;
  return node.args.find(
    (a) =>
      a.type !== "positional" &&
      (a.name === bare || a.alias?.includes(bare) || (!!negated && a.name === negated && a.type === "boolean")),
  );
}

function persistentOf(word: string): Persistent | undefined {
  const bare = bareOf(word);
  // A count flag: -dd is -d twice.
  if (/^-d+$/.test(word)) return PERSISTENT[0];
  return PERSISTENT.find((p) => p.name === bare || p.alias.includes(bare));
}

const envKey = (parts: string[]) => `CLAB_${parts.join("_").replace(/[-/.]/g, "_").toUpperCase()}`;

/** The environment's value for a flag of the command at `path`, as viper binds it. */
function fromEnv(
  path: string[],
  flag: string,
  persistent: boolean,
  env: Record<string, string | undefined>,
): string | undefined {
  const names = [...new Set([path, path.map((p) => CLAB_NAMES[p] ?? p)].map((p) => envKey([...p, flag])))];
  if (persistent) names.push(envKey([flag]));
  for (const n of names) {
    const v = env[n];
    if (v !== undefined && v !== "") return v;
  }
  return undefined;
}

/**
 * Rewrites argv into the form lab's commands parse: the command path first, then its own flags and
 * arguments, then the persistent flags it takes (ones it has no use for are accepted and dropped, as
 * Containerlab's commands ignore them), then flags set only in the environment.
 */
export function normalizeArgv(root: CommandNode, argv: string[], env: Record<string, string | undefined>): string[] {
  let node = root;
  const path: string[] = [];
  const rest: string[] = [];
  const persistent: { flag: Persistent; value?: string; word: string }[] = [];
  let tail: string[] = [];
  let positional = false;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    if (word === "--") {
      tail = argv.slice(i);
      break;
    }
    if (word.startsWith("-") && word !== "-" && !/^-\d/.test(word)) {
      // A command's own flag wins over a persistent one of the same name (lab share -d is --detach).
      if (localArg(node, word)) {
        rest.push(word);
        if (takesValue(node, word) && i + 1 < argv.length) rest.push(argv[++i] as string);
        continue;
      }
      const p = persistentOf(word);
      if (p) {
        const inline = word.includes("=") ? word.slice(word.indexOf("=") + 1) : undefined;
        const value = p.value ? (inline ?? argv[++i]) : undefined;
        for (let n = /^-d+$/.test(word) ? word.length - 1 : 1; n > 0; n--) persistent.push({ flag: p, value, word });
        continue;
      }
      rest.push(word);
      continue;
    }
    const sub = positional ? undefined : node.subcommands.find((s) => s.name === word);
    if (sub) {
      node = sub;
      path.push(word);
      continue;
    }
    positional = true;
    rest.push(word);
  }

  const given = (name: string, alias: string[] = []) =>
    [...rest, ...tail].some((w) => {
      const bare = bareOf(w);
      return w.startsWith("-") && (bare === name || bare === `no-${name}` || alias.includes(bare));
    });
  const out = [...path, ...rest];
  for (const { flag, value } of persistent) {
    if (flag.name === "debug") {
      if (!given("verbose", ["v"]) && !out.includes("--verbose")) out.push("--verbose");
      continue;
    }
    if (flag.name === "log-level") {
      if ((value === "debug" || value === "trace") && !out.includes("--verbose")) out.push("--verbose");
      continue;
    }
    if (flag.name === "runtime") {
      out.push("--runtime", value ?? "");
      continue;
    }
    // topo, vars, name: for the commands that take them (vars may repeat); timeout: not used by lab.
    const arg = node.args.find((a) => a.name === flag.name);
    if (arg && value !== undefined && (flag.name === "vars" || !given(flag.name, arg.alias))) {
      out.push(`--${flag.name}`, value);
    }
  }
  // Flags only the environment sets.
  const persistentNames = new Set(PERSISTENT.map((p) => p.name));
  for (const arg of node.args) {
    if (arg.type === "positional" || given(arg.name, arg.alias) || out.includes(`--${arg.name}`)) continue;
    const value = fromEnv(path, arg.name, persistentNames.has(arg.name), env);
    if (value === undefined) continue;
    if (arg.type === "boolean") {
      const on = /^(1|t|true|yes|on)$/i.test(value);
      out.push(on ? `--${arg.name}` : `--no-${arg.name}`);
    } else out.push(`--${arg.name}`, value);
  }
  return [...out, ...tail];
}
