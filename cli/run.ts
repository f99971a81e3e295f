import { type CommandDef, runCommand } from "citty";
import { isLabError, LabError } from "../core/errors.ts";
import { logger, setVerbose } from "./logger.ts";

type AnyCommand = CommandDef<any>;

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
export async function run(main: AnyCommand, rawArgs: string[]): Promise<number> {
  const verbose = rawArgs.includes("--verbose") || rawArgs.includes("-v");
  setVerbose(verbose);
  try {
    await runCommand(main, { rawArgs });
    return 0;
  } catch (error) {
    const labError = toLabError(error);
    logger.error(labError.toLine());
    if (verbose && error instanceof Error && error.stack) logger.debug(error.stack);
    return labError.exitCode;
  }
}
