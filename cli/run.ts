import { type CommandDef, runCommand } from "citty";
import { isLabError, LabError } from "../core/errors.ts";
import { RUNTIME_NAMES } from "../runtime/engines.ts";
import { closeHosts } from "./context.ts";
import { checkFlags } from "./flags.ts";
import { logger, setVerbose } from "./logger.ts";
import { tree } from "./tree.generated.ts";
import { findCommand, takesValue } from "./tree.ts";

type AnyCommand = CommandDef<any>;

/**
 * --runtime / -r (every command) leaves argv for the environment, where the engine is chosen and
 * where processes lab starts (a detached sharer) find it too.
 */
function takeRuntime(rawArgs: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < rawArgs.length; i++) {
    const a = rawArgs[i] as string;
    if (a === "--") {
      out.push(...rawArgs.slice(i));
      break;
    }
    const m = /^(?:--runtime|-r)(?:=(.*))?$/.exec(a);
    if (!m) {
      out.push(a);
      continue;
    }
    const value = m[1] ?? rawArgs[++i];
    if (!value || !(RUNTIME_NAMES as readonly string[]).includes(value))
      throw new LabError("usage", `--runtime ${value ?? ""} is not one lab speaks to`, {
        hint: `Use ${RUNTIME_NAMES.join(" or ")}`,
      });
    process.env.LAB_RUNTIME = value;
  }
  return out;
}

function toLabError(error: unknown): LabError {
  if (isLabError(error)) return error;
  // citty's own argument errors (unknown command, missing argument) are usage errors.
  if (error instanceof Error && error.name === "CLIError") {
    return new LabError("usage", error.message.replace(/\x1b\[[0-9;]*m/g, ""), { hint: "Run lab --help" });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new LabError("internal", message, { cause: error });
}

/**
 * The only error boundary (help and completion are answered before, in fast.ts): every failure becomes one line on stderr and an exit code from its type.
 * The stack is shown only with --verbose.
 */
/**
 * Whether --verbose (-v) is given as a flag: a word that is the value of another flag (exec --cmd
 * -v) or comes after -- is not one.
 */
export function verboseIn(rawArgs: string[]): boolean {
  const { path } = findCommand(tree, rawArgs);
  const node = path[path.length - 1] ?? tree;
  for (let i = 0; i < rawArgs.length; i++) {
    const w = rawArgs[i] as string;
    if (w === "--") return false;
    if (w === "--verbose" || w === "-v") return true;
    if (w.startsWith("-") && !w.includes("=") && takesValue(node, w)) i++;
  }
  return false;
}

export async function run(main: AnyCommand, rawArgs: string[]): Promise<number> {
  const verbose = verboseIn(rawArgs);
  setVerbose(verbose);
  try {
    checkFlags(tree, rawArgs);
    await runCommand(main, { rawArgs: takeRuntime(rawArgs) });
    await closeHosts();
    // A command that passes another program's exit code on (lab shell) sets process.exitCode.
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    await closeHosts();
    const labError = toLabError(error);
    logger.error(labError.toLine());
    if (verbose && error instanceof Error && error.stack) logger.debug(error.stack);
    return labError.exitCode;
  }
}
