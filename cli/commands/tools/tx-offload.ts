import { defineCommand } from "citty";
import { LabError } from "../../../core/errors.ts";
import { disableNodeTxOffload } from "../../../core/tools/tx-offload.ts";
import { logger } from "../../logger.ts";
import { globalArgs } from "../_shared.ts";
import { labArgs, toolScope } from "./_common.ts";

export default defineCommand({
  meta: {
    name: "disable-tx-offload",
    description: "Turn TX checksum offload off on a node's interface (eth0 by default)",
  },
  args: {
    ...labArgs,
    container: { type: "string", alias: "c", description: "Container name, or node name with -t/--name" },
    interface: { type: "string", alias: "i", description: "Interface (default eth0)" },
    ...globalArgs,
  },
  async run({ args, rawArgs }) {
    if (!args.container) throw new LabError("usage", "lab tools disable-tx-offload needs -c CONTAINER");
    const { lab, deps } = await toolScope(args, rawArgs, "lab tools disable-tx-offload");
    const r = await disableNodeTxOffload(deps, { container: args.container, lab, iface: args.interface });
    logger.success(`TX checksum offload off on ${r.iface} of ${r.target.container}`);
  },
});
