import type { ArgNode, CommandNode } from "./tree.ts";

// Help from the command tree alone. Colour only on a terminal, and never with NO_COLOR set.

export function useColor(stream: { isTTY?: boolean }, env: Record<string, string | undefined>): boolean {
  return !!stream.isTTY && !("NO_COLOR" in env && env.NO_COLOR !== "") && env.TERM !== "dumb";
}

function flagSpelling(a: ArgNode): string {
  const names = [`--${a.name}`, ...(a.alias ?? []).map((x) => (x.length === 1 ? `-${x}` : `--${x}`))];
  const value = a.type === "string" ? " VALUE" : a.type === "enum" ? ` ${(a.options ?? []).join("|")}` : "";
  return `${names.join(", ")}${value}`;
}

export function renderHelp(path: CommandNode[], version: string, color: boolean): string {
  const c = (code: string, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const node = path[path.length - 1] as CommandNode;
  const full = path.map((p) => p.name).join(" ");
  const visible = node.subcommands.filter((s) => !s.hidden);
  const positional = node.args.filter((a) => a.type === "positional");
  const flags = node.args.filter((a) => a.type !== "positional");
  const lines = [`${node.description}${path.length === 1 ? ` (lab ${version})` : ""}`, ""];
  const usage = [
    full,
    ...(visible.length ? [visible.map((s) => s.name).join("|")] : []),
    ...positional.map((p) => `<${p.name.toUpperCase()}>`),
    ...(flags.length ? ["[OPTIONS]"] : []),
  ];
  lines.push(`${c("1", "USAGE")} ${usage.join(" ")}`, "");
  const table = (rows: [string, string][]) => {
    const width = Math.max(...rows.map(([l]) => l.length));
    return rows.map(([l, r]) => `  ${c("36", l.padEnd(width))}  ${r}`.trimEnd());
  };
  if (positional.length) {
    lines.push(c("1", "ARGUMENTS"), ...table(positional.map((p) => [p.name.toUpperCase(), p.description ?? ""])), "");
  }
  if (flags.length) {
    lines.push(
      c("1", "OPTIONS"),
      ...table(
        flags.map((a) => [
          flagSpelling(a),
          `${a.description ?? ""}${a.default !== undefined && a.default !== false ? ` (default: ${a.default})` : ""}`,
        ]),
      ),
      "",
    );
  }
  if (visible.length) {
    lines.push(c("1", "COMMANDS"), ...table(visible.map((s) => [s.name, s.description])), "");
    lines.push(`Use ${full} <command> --help for more on a command.`);
  }
  return `${lines.join("\n").trimEnd()}\n`;
}
