import { type ConsolaReporter, createConsola, type LogObject } from "consola/core";
import { useColor } from "./help.ts";
import { err } from "./out.ts";
import { isTerminal } from "./tty.ts";

// stdout carries data (tables, JSON); every log line goes to stderr. consola's core (levels,
// types) with a reporter of our own: the fancy reporter pulls in 8 ms of start-up on every call.
// Lines read as consola's fancy ones do; colour only on a terminal without NO_COLOR.

// Off a terminal (a script, a CI log) each line starts with its level word as Containerlab's
// logger writes it (`INFO Executed command node=…`): scripts and Containerlab's own tests grep
// those words. isTerminal(2), not process.stderr.isTTY: touching process.stderr sets up a stream.
const tty = isTerminal(2);
const color = useColor({ isTTY: tty }, process.env);
const paint = (code: string, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);

const terminalStyles: Record<string, (message: string) => string> = {
  info: (m) => `${paint("36", "ℹ")} ${m}`,
  success: (m) => `${paint("32", "✔")} ${m}`,
  debug: (m) => `${paint("90", "⚙")} ${m}`,
  warn: (m) => `\n${paint("30;43", " WARN ")} ${m}\n`,
  error: (m) => `\n${paint("30;41", " ERROR ")} ${m}\n`,
};
const plainStyles: Record<string, (message: string) => string> = {
  info: (m) => `INFO ${m}`,
  success: (m) => `INFO ${m}`,
  debug: (m) => `DEBU ${m}`,
  warn: (m) => `WARN ${m}`,
  error: (m) => `ERROR ${m}`,
};
const styles = tty ? terminalStyles : plainStyles;

const reporter: ConsolaReporter = {
  log(entry: LogObject) {
    const message = entry.args.map((a) => (a instanceof Error ? (a.stack ?? a.message) : String(a))).join(" ");
    const style = styles[entry.type] ?? styles[entry.level === 0 ? "error" : entry.level === 1 ? "warn" : "info"];
    err(`${(style as (m: string) => string)(message)}\n`);
  },
};

export const logger = createConsola({ reporters: [reporter], level: 3 });

export function setVerbose(verbose: boolean): void {
  logger.level = verbose ? 4 : 3;
}
