// Builds lab as single-file executables with `bun build --compile`.
//   bun scripts/build.ts            host binary at dist/lab
//   bun scripts/build.ts --release  every release target + dist/SHA256SUMS

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";

const RELEASE_TARGETS = {
  "linux-x64": "bun-linux-x64",
  "linux-arm64": "bun-linux-arm64",
  "linux-x64-musl": "bun-linux-x64-musl",
  "darwin-x64": "bun-darwin-x64",
  "darwin-arm64": "bun-darwin-arm64",
} as const;

function gitCommit(): string {
  const r = spawnSync("git", ["rev-parse", "--short=12", "HEAD"], { encoding: "utf8" });
  const dirty = spawnSync("git", ["status", "--porcelain", "--untracked-files=no"], { encoding: "utf8" }).stdout.trim();
  return r.status === 0 ? `${r.stdout.trim()}${dirty ? "-dirty" : ""}` : "unknown";
}

const defines = [
  "--define",
  `LAB_COMMIT=${JSON.stringify(process.env.LAB_COMMIT ?? gitCommit())}`,
  "--define",
  `LAB_BUILD_DATE=${JSON.stringify(new Date().toISOString().slice(0, 10))}`,
];

function compile(outfile: string, target?: string): void {
  const args = [
    "build",
    "--compile",
    "--minify",
    // Precompiled bytecode: the binary starts in a third of the time (no parsing of 300 modules).
    "--bytecode",
    // Each lazily imported command is its own chunk, loaded when run: help, completion and the entry
    // point do not pay for the whole CLI (13 ms → 7 ms for lab --help here).
    "--splitting",
    "--format=esm",
    ...defines,
    ...(target ? [`--target=${target}`] : []),
    "cli/main.ts",
    "--outfile",
    outfile,
  ];
  const r = spawnSync(process.execPath, args, { stdio: ["ignore", "ignore", "inherit"] });
  if (r.status !== 0) throw new Error(`bun build failed for ${target ?? "host"}`);
  console.error(`built ${outfile}`);
}

// Help and completion read the command tree; it must match the commands being compiled.
spawnSync(process.execPath, ["scripts/gen-tree.ts"], { stdio: ["ignore", "ignore", "inherit"] });
// The graph page (Cytoscape and the app) goes into the binary as a generated module.
if (spawnSync(process.execPath, ["scripts/build-web.ts"], { stdio: ["ignore", "ignore", "inherit"] }).status !== 0)
  throw new Error("cannot build the graph page");
mkdirSync("dist", { recursive: true });
if (process.argv.includes("--release")) {
  const sums: string[] = [];
  for (const [name, target] of Object.entries(RELEASE_TARGETS)) {
    const file = `lab-${name}`;
    compile(`dist/${file}`, target);
    sums.push(
      `${createHash("sha256")
        .update(readFileSync(`dist/${file}`))
        .digest("hex")}  ${file}`,
    );
  }
  writeFileSync("dist/SHA256SUMS", `${sums.join("\n")}\n`);
  // Published next to the binaries: curl -fsSL <release>/install.sh | sh
  copyFileSync("scripts/install.sh", "dist/install.sh");
  console.error("wrote dist/SHA256SUMS and dist/install.sh");
} else {
  compile("dist/lab");
}
