import { startNodes } from "../../core/lifecycle/index.ts";
import { lifecycleCommand } from "./_lifecycle.ts";

export default lifecycleCommand(
  "start",
  "Start stopped nodes and put their links back (same container, same disk)",
  { exec: { type: "boolean", description: "Run the nodes' exec commands again" } },
  (target, args, deps) => startNodes(target, deps, { exec: !!args.exec }),
);
