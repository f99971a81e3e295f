/**
 * Command results logged the way Containerlab logs an exec collection (exec.ExecCollection.Log),
 * through charmbracelet/log's text formatter: `Executed command node=… command="…"`, then a
 * multi-line value as `  stdout=` and one `  │ line` per line. Users' scripts and Containerlab's
 * smoke tests grep exactly these lines, so the wording and key order are theirs.
 */

export interface ExecLogEntry {
  /** What Containerlab names the node in the line: the container (lab exec), the short name (deploy). */
  node: string;
  argv: string[];
  exitCode: number;
  stdout: string;
  stderr: string;
}

// charmbracelet/log quotes a value holding a space, `=`, `"` or anything unprintable.
const needsQuoting = (s: string) => /[\s="\\]|[^\x20-\x7e\u00a0-\uffff]/u.test(s);

function keyValue(key: string, value: string): string {
  if (value.includes("\n")) {
    const lines = value.split("\n");
    if (lines.at(-1) === "") lines.pop();
    // Every line ends with a newline, so a key after it starts a line of its own.
    return `\n  ${key}=\n${lines.map((l) => `  │ ${l}\n`).join("")}`;
  }
  return ` ${key}=${needsQuoting(value) ? JSON.stringify(value) : value}`;
}

/** The log level and text of one result: info when it exited 0, error otherwise. */
export function execLogLine(e: ExecLogEntry): { level: "info" | "error"; text: string } {
  const command = e.argv.join(" ");
  if (e.exitCode !== 0) {
    const kv = [
      keyValue("command", command),
      keyValue("node", e.node),
      keyValue("rc", String(e.exitCode)),
      keyValue("stdout", e.stdout),
      keyValue("stderr", e.stderr),
    ];
    return { level: "error", text: `Failed to execute command${kv.join("")}`.replace(/\n$/, "") };
  }
  const kv = [keyValue("node", e.node), keyValue("command", command), keyValue("stdout", e.stdout)];
  return { level: "info", text: `Executed command${kv.join("")}`.replace(/\n$/, "") };
}
