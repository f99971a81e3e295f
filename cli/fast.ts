import { complete, completionScript, shells } from "./completion.ts";
import { renderHelp, useColor } from "./help.ts";
import { tree } from "./tree.generated.ts";
import { findCommand } from "./tree.ts";
import { isTerminal } from "./tty.ts";

// What lab answers from the command tree alone, before any command module is loaded: help on
// every level, `completion`, and the `__complete` entry point the shell scripts call on each TAB.

export interface FastAnswer {
  code: number;
  stdout?: string;
  stderr?: string;
}

export function fastPath(
  argv: string[],
  version: string,
  env: Record<string, string | undefined>,
): FastAnswer | undefined {
  if (argv[0] === "__complete")
    return {
      code: 0,
      stdout: complete(tree, argv.slice(1))
        .map((c) => `${c}\n`)
        .join(""),
    };
  const words = argv.includes("--") ? argv.slice(0, argv.indexOf("--")) : argv;
  if (argv[0] === "completion" && !words.includes("--help") && !words.includes("-h")) {
    const script = completionScript(argv[1] ?? "");
    return script
      ? { code: 0, stdout: script }
      : {
          code: 2,
          stderr: `lab completion ${argv[1] ?? ""}: name a shell: ${shells.join(", ")} (e.g. source <(lab completion bash))\n`,
        };
  }
  if (words.length === 0 || words.includes("--help") || words.includes("-h")) {
    const { path, rest } = findCommand(
      tree,
      words.filter((w) => w !== "--help" && w !== "-h"),
    );
    // A word where a command was expected is no command: the same usage error as without --help.
    const node = path[path.length - 1];
    const stray = rest.find((w) => !w.startsWith("-"));
    if (stray !== undefined && node?.subcommands.length && !node.args.some((a) => a.type === "positional"))
      return {
        code: 2,
        stderr: `Unknown command ${stray} for ${path.map((p) => p.name).join(" ")}. Run ${path.map((p) => p.name).join(" ")} --help\n`,
      };
    return { code: 0, stdout: renderHelp(path, version, useColor({ isTTY: isTerminal(1) }, env)) };
  }
  if (words.length === 1 && words[0] === "--version") return { code: 0, stdout: `${version}\n` };
  return undefined;
}
