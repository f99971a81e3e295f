import { defineCommand } from "citty";
import { LabError } from "../../../core/errors.ts";
import { createVeth, parseVethEnd } from "../../../core/tools/veth.ts";
import { logger } from "../../logger.ts";
import { terminalReporter } from "../../render/progress.ts";
import { globalArgs } from "../_shared.ts";
import { labArgs, toolScope } from "./_common.ts";

const create = defineCommand({
  meta: { name: "create", description: "Create a veth between two nodes, a node and the host, or a node and a bridge" },
  args: {
    ...labArgs,
    "a-endpoint": { type: "string", alias: "a", description: "NODE:IF, host:IF or bridge:BRIDGE:IF" },
    "b-endpoint": { type: "string", alias: "b", description: "NODE:IF, host:IF or bridge:BRIDGE:IF" },
    mtu: { type: "string", alias: "m", description: "Link MTU (default 9500)" },
    ...globalArgs,
  },
  async run({ args, rawArgs }) {
    const a = args["a-endpoint"];
    const b = args["b-endpoint"];
    if (!a || !b)
      throw new LabError("usage", "lab tools veth create needs -a and -b", {
        hint: "e.g. -a clab-lab1-r1:eth9 -b host:r1-eth9",
      });
    const mtu = args.mtu === undefined ? undefined : Number(args.mtu);
    const { lab, deps } = await toolScope(args, rawArgs, "lab tools veth create");
    const { label } = await createVeth(
      { ...deps, reporter: terminalReporter() },
      [parseVethEnd(a, "-a"), parseVethEnd(b, "-b")],
      { lab, mtu },
    );
    logger.success(`veth ${label} created`);
  },
});

export default defineCommand({
  meta: { name: "veth", description: "Ad-hoc veth links" },
  subCommands: { create },
});
