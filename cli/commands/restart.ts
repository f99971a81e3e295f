import { restartNodes } from "../../core/lifecycle/index.ts";
import { lifecycleCommand } from "./_lifecycle.ts";
import { seconds } from "./_shared.ts";

export default lifecycleCommand(
  "restart",
  "Restart nodes, keeping their links (stop, then start)",
  {
    exec: { type: "boolean", description: "Run the nodes' exec commands again" },
    timeout: { type: "string", description: "Seconds to wait before the container is killed (default 10)" },
  },
  (target, args, deps) =>
    restartNodes(target, deps, {
      exec: !!args.exec,
      timeoutSeconds: seconds(args.timeout as string | undefined, "--timeout"),
    }),
);
