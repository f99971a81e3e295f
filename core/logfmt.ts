// Log lines with key=value pairs as Containerlab's logger (charmbracelet/log's text formatter)
// writes them, where lab's users and Containerlab's tests grep them: a value holding a space, `=`
// or `"` is quoted; a value over several lines goes under its key, each line as `  │ line`.

const needsQuoting = (s: string) => /[\s="\\]|[^\x20-\x7e\u00a0-\uffff]/u.test(s);

function pair(key: string, value: string): string {
  if (value.includes("\n")) {
    const lines = value.split("\n");
    if (lines.at(-1) === "") lines.pop();
    // Every line ends with a newline, so a key after it starts a line of its own.
    return `\n  ${key}=\n${lines.map((l) => `  │ ${l}\n`).join("")}`;
  }
  return ` ${key}=${needsQuoting(value) ? JSON.stringify(value) : value}`;
}

/** `message key=value …`, values as Go's %v prints them (a list is `[a b]`). */
export function logfmt(message: string, pairs: [string, string | number | string[]][]): string {
  const text = pairs.map(([k, v]) => pair(k, Array.isArray(v) ? `[${v.join(" ")}]` : String(v))).join("");
  return `${message}${text}`.replace(/\n$/, "");
}
