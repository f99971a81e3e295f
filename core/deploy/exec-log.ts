import { logfmt } from "../logfmt.ts";

/**
 * Command results logged the way Containerlab logs an exec collection (exec.ExecCollection.Log):
 * `Executed command node=… command="…"`, then the output under `  stdout=` as `  │ line`s. Users'
 * scripts and Containerlab's smoke tests grep exactly these lines, so the wording and key order
 * are theirs.
 */

export interface ExecLogEntry {
  /** What Containerlab names the node in the line: the container (lab exec), the short name (deploy). */
  node: string;
  argv: string[];
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** The log level and text of one result: info when it exited 0, error otherwise. */
export function execLogLine(e: ExecLogEntry): { level: "info" | "error"; text: string } {
  const command = e.argv.join(" ");
  if (e.exitCode !== 0)
    return {
      level: "error",
      text: logfmt("Failed to execute command", [
        ["command", command],
        ["node", e.node],
        ["rc", e.exitCode],
        ["stdout", e.stdout],
        ["stderr", e.stderr],
      ]),
    };
  return {
    level: "info",
    text: logfmt("Executed command", [
      ["node", e.node],
      ["command", command],
      ["stdout", e.stdout],
    ]),
  };
}
