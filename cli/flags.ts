import { closest } from "../core/topology/closest.ts";
import { LabError } from "../runtime/errors.ts";
import { type CommandNode, takesValue } from "./tree.ts";

// citty ignores flags it does not know, so `lab up --runtim podman` would quietly deploy to Docker.
// Every flag is checked against the command it is given to (from the command tree) before anything
// runs: an unknown one is a usage error with the closest valid flag as the hint.

/** Flags every command takes: handled by lab itself (run.ts, fast.ts). */
export const GLOBAL_FLAGS = [
  { name: "help", alias: ["h"], value: false },
  { name: "verbose", alias: ["v"], value: false },
  { name: "runtime", alias: ["r"], value: true },
];

const spell = (name: string) => (name.length === 1 ? `-${name}` : `--${name}`);

export function checkFlags(root: CommandNode, argv: string[]): void {
  let node = root;
  const path = ["lab"];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    if (word === "--") return;
    if (!word.startsWith("-") || word === "-" || /^-\d/.test(word)) {
      const sub = node.subcommands.find((s) => s.name === word);
      if (sub) {
        node = sub;
        path.push(word);
      }
      continue;
    }
    const bare = word.replace(/^-{1,2}/, "").split("=")[0] as string;
    const global = GLOBAL_FLAGS.find((g) => g.name === bare || g.alias.includes(bare));
    if (global) {
      if (global.value && !word.includes("=")) i++;
      continue;
    }
    const negated = bare.startsWith("no-") ? bare.slice(3) : undefined;
    const arg = node.args.find(
      (a) =>
        a.type !== "positional" &&
        (a.name === bare || a.alias?.includes(bare) || (negated && a.name === negated && a.type === "boolean")),
    );
    if (!arg) {
      const names = [
        ...node.args.filter((a) => a.type !== "positional").flatMap((a) => [a.name, ...(a.alias ?? [])]),
        ...GLOBAL_FLAGS.map((g) => g.name),
      ];
      const near = closest(bare, names);
      throw new LabError("usage", `unknown flag ${word.split("=")[0]} for ${path.join(" ")}`, {
        hint: near ? `did you mean ${spell(near)}?` : `See ${path.join(" ")} --help`,
      });
    }
    if (takesValue(node, word)) i++;
  }
}
