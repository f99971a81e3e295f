import { defineCommand } from "citty";
import { LabError } from "../../../core/errors.ts";
import { globalArgs } from "../_shared.ts";

const save = defineCommand({
  meta: { name: "save", description: "Not in lab: VM node snapshots (Containerlab's vrnetlab snapshots)" },
  args: {
    "output-dir": { type: "string" },
    "node-filter": { type: "string" },
    format: { type: "string" },
    timeout: { type: "string" },
    ...globalArgs,
  },
  run() {
    throw new LabError("unsupported", "lab has no node snapshots: lab save keeps each node's configuration", {
      hint: "lab save -t FILE",
    });
  },
});

export default defineCommand({
  meta: { name: "snapshot", description: "Not in lab: node snapshots (see lab save)" },
  subCommands: { save },
});
