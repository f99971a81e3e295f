#!/usr/bin/env bun
import { buildInfo } from "../core/build-info.ts";
import { normalizeArgv } from "./argv.ts";
import { fastPath } from "./fast.ts";
import { err, out } from "./out.ts";
import { tree } from "./tree.generated.ts";

// The entry stays small: help and completion are answered from the command tree; anything else
// loads the commands (a separate chunk of the binary) and runs. Containerlab's argv conventions
// (persistent flags anywhere, CLAB_* variables) are applied first (argv.ts).
const raw = process.argv.slice(2);
const argv = raw[0] === "__complete" ? raw : normalizeArgv(tree, raw, process.env);
const answer = fastPath(argv, buildInfo.version, process.env);
if (answer) {
  if (answer.stdout) out(answer.stdout);
  if (answer.stderr) err(answer.stderr);
  process.exit(answer.code);
}
const { runApp } = await import("./app.ts");
process.exit(await runApp(argv));
