#!/usr/bin/env bun
import { defineCommand } from "citty";
import { buildInfo } from "../core/build-info.ts";
import { commands } from "./commands/index.ts";
import { run } from "./run.ts";

export const main = defineCommand({
  meta: {
    name: "lab",
    version: buildInfo.version,
    description:
      "Container-based network labs: deploy Containerlab topologies, share them, keep their images in a registry",
  },
  subCommands: commands,
});

if (import.meta.main) {
  const code = await run(main, process.argv.slice(2));
  process.exit(code);
}
