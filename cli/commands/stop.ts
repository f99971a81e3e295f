import { stopNodes } from "../../core/lifecycle/index.ts";
import { lifecycleCommand } from "./_lifecycle.ts";
import { seconds } from "./_shared.ts";

export default lifecycleCommand(
  "stop",
  "Stop nodes of a running lab; their links are parked and come back on start",
  { timeout: { type: "string", description: "Seconds to wait before the container is killed (default 10)" } },
  (target, args, deps) => stopNodes(target, deps, seconds(args.timeout as string | undefined, "--timeout")),
);
