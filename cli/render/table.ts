// Tables as Containerlab draws them (go-pretty's StyleRounded): rounded corners, title-case headers
// centred, cells that may hold several lines, and with `separateRows` a rule between rows (its
// inspect table). Scripts count these lines and split on "│", so the shape is part of the contract.

export interface TableOptions {
  /** A rule between every two rows, as Containerlab's inspect table has. */
  separateRows?: boolean;
}

const center = (text: string, width: number) => {
  const left = Math.floor((width - text.length) / 2);
  return `${" ".repeat(left)}${text}${" ".repeat(width - text.length - left)}`;
};

export function renderTable(headers: string[], rows: string[][], options: TableOptions = {}): string {
  const cells = rows.map((r) => headers.map((_, i) => (r[i] ?? "").split("\n")));
  const widths = headers.map((h, i) =>
    Math.max(h.length, ...cells.flatMap((r) => (r[i] as string[]).map((line) => line.length))),
  );
  const rule = (l: string, m: string, r: string) => `${l}${widths.map((w) => "─".repeat(w + 2)).join(m)}${r}`;
  const line = (parts: string[]) => `│${parts.map((p) => ` ${p} `).join("│")}│`;
  const body: string[] = [];
  cells.forEach((row, n) => {
    if (n > 0 && options.separateRows) body.push(rule("├", "┼", "┤"));
    const height = Math.max(1, ...row.map((c) => c.length));
    for (let k = 0; k < height; k++) body.push(line(row.map((c, i) => (c[k] ?? "").padEnd(widths[i] as number))));
  });
  return [
    rule("╭", "┬", "╮"),
    line(headers.map((h, i) => center(h, widths[i] as number))),
    rule("├", "┼", "┤"),
    ...body,
    rule("╰", "┴", "╯"),
  ].join("\n");
}
