// make bench: every benchmark in one run, their lines as they come, then one table of every target
// they report (what, figure, target, met or not). A benchmark is a measurement, not a gate: this
// exits 0 whatever the figures say, and names the benchmarks that could not run.

const BUN = process.execPath;
const BENCHES: [string, string[]][] = [
  ["startup", [BUN, "scripts/bench/startup.ts"]],
  ["engine", [BUN, "scripts/bench/engine.ts"]],
  ["render", [BUN, "scripts/bench/render.ts"]],
  ["deploy", [BUN, "scripts/bench/deploy.ts"]],
  ["deploy on Podman", [BUN, "scripts/bench/deploy.ts", "20:30", "podman"]],
  ["change", [BUN, "scripts/bench/change.ts"]],
  ["graph", [BUN, "scripts/bench/graph.ts"]],
  ["console", [BUN, "scripts/bench/console.ts"]],
  ["image push", ["bash", "scripts/bench/image.sh"]],
  ["images", [BUN, "scripts/bench/images.ts"]],
  ["share", [BUN, "scripts/bench/share.ts"]],
  ["share, own edge", [BUN, "scripts/bench/share-edge.ts"]],
  ["multi-host", [BUN, "scripts/bench/multihost.ts"]],
];

interface Row {
  bench: string;
  what: string;
  target: string;
  met: boolean;
}

/** A line that reports a target: "<what and figure>   target <bound>: met|NOT met". */
export function targetOf(bench: string, line: string): Row | undefined {
  const m = /^(.*?)\s+target ([^:]+): (met|NOT met)\s*$/.exec(line.trim());
  return m
    ? { bench, what: (m[1] as string).replace(/[\s=]+$/, ""), target: m[2] as string, met: m[3] === "met" }
    : undefined;
}

if (import.meta.main) {
  const rows: Row[] = [];
  const failed: string[] = [];
  for (const [bench, cmd] of BENCHES) {
    console.log(`\n== ${bench}`);
    const proc = Bun.spawn(cmd, { stdout: "pipe", stderr: "inherit" });
    const decoder = new TextDecoder();
    let rest = "";
    for await (const chunk of proc.stdout as ReadableStream<Uint8Array>) {
      const text = rest + decoder.decode(chunk, { stream: true });
      const lines = text.split("\n");
      rest = lines.pop() ?? "";
      for (const line of lines) {
        console.log(line);
        const row = targetOf(bench, line);
        if (row) rows.push(row);
      }
    }
    if (rest) {
      console.log(rest);
      const row = targetOf(bench, rest);
      if (row) rows.push(row);
    }
    if ((await proc.exited) !== 0) failed.push(bench);
  }
  console.log("\n== summary\n");
  const table = [
    ["benchmark", "measured", "target", ""],
    ...rows.map((r) => [r.bench, r.what, r.target, r.met ? "met" : "NOT met"]),
  ];
  const widths = table[0]?.map((_, i) => Math.max(...table.map((r) => (r[i] ?? "").length))) ?? [];
  for (const [i, r] of table.entries()) {
    console.log(
      r
        .map((c, j) => c.padEnd(widths[j] ?? 0))
        .join("  ")
        .trimEnd(),
    );
    if (i === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
  }
  const met = rows.filter((r) => r.met).length;
  console.log(`\n${met} of ${rows.length} targets met${failed.length ? `; could not run: ${failed.join(", ")}` : ""}`);
}
