import { defineCommand } from "citty";
import { buildInfo } from "../core/build-info.ts";
import { commands } from "./commands/index.ts";
import { run } from "./run.ts";

// The whole CLI as citty commands (loaded only when a command runs; help and completion come from
// the command tree in tree.generated.ts).
export const app = defineCommand({
  meta: {
    name: "lab",
    version: buildInfo.version,
    description:
      "Container-based network labs: deploy Containerlab topologies, share them, keep their images in a registry",
  },
  subCommands: commands,
});

export const runApp = (argv: string[]) => run(app, argv);
