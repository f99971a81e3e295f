import { type CommandDef, runCommand, showUsage } from "citty";
import { isLabError, LabError } from "../core/errors.ts";
import { logger, setVerbose } from "./logger.ts";

type AnyCommand = CommandDef<any>;

async function resolveValue<T>(value: T | (() => T | Promise<T>) | Promise<T>): Promise<T> {
  return typeof value === "function" ? await (value as () => T | Promise<T>)() : await value;
}

/** Finds the (sub)command the args name, for `--help` on any level. */
async function resolveCommand(
  cmd: AnyCommand,
  rawArgs: string[],
  parent?: AnyCommand,
): Promise<[AnyCommand, AnyCommand?]> {
  const subs = (await resolveValue(cmd.subCommands)) as Record<string, unknown> | undefined;
  const name = rawArgs.find((a) => !a.startsWith("-"));
  if (subs && name && name in subs) {
    const sub = (await resolveValue(subs[name] as AnyCommand)) as AnyCommand;
    return resolveCommand(sub, rawArgs.slice(rawArgs.indexOf(name) + 1), cmd);
  }
  return [cmd, parent];
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
 * The only error boundary: every failure becomes one line on stderr and an exit code from its type.
 * The stack is shown only with --verbose.
 */
export async function run(main: AnyCommand, rawArgs: string[]): Promise<number> {
  const verbose = rawArgs.includes("--verbose") || rawArgs.includes("-v");
  setVerbose(verbose);
  try {
    if (rawArgs.includes("--help") || rawArgs.includes("-h") || rawArgs.length === 0) {
      await showUsage(...(await resolveCommand(main, rawArgs)));
      return 0;
    }
    await runCommand(main, { rawArgs });
    return 0;
  } catch (error) {
    const labError = toLabError(error);
    logger.error(labError.toLine());
    if (verbose && error instanceof Error && error.stack) logger.debug(error.stack);
    return labError.exitCode;
  }
}
