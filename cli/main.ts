#!/usr/bin/env bun
import { buildInfo } from "../core/build-info.ts";
import { fastPath } from "./fast.ts";
import { err, out } from "./out.ts";

// The entry stays small: help and completion are answered from the command tree; anything else
// loads the commands (a separate chunk of the binary) and runs.
const argv = process.argv.slice(2);
const answer = fastPath(argv, buildInfo.version, process.env);
if (answer) {
  if (answer.stdout) out(answer.stdout);
  if (answer.stderr) err(answer.stderr);
  process.exit(answer.code);
}
const { runApp } = await import("./app.ts");
process.exit(await runApp(argv));
