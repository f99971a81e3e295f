import { createConsola } from "consola";

// stdout carries data (tables, JSON); every log line goes to stderr.
export const logger = createConsola({
  stdout: process.stderr,
  stderr: process.stderr,
  level: 3,
});

export function setVerbose(verbose: boolean): void {
  logger.level = verbose ? 4 : 3;
}
