import { defineCommand } from "citty";
import { LabError } from "../../../core/errors.ts";
import { createVxlan, deleteVxlans, TOOLS_VXLAN_PORT } from "../../../core/tools/vxlan.ts";
import { cliContext } from "../../context.ts";
import { logger } from "../../logger.ts";
import { globalArgs } from "../_shared.ts";

const int = (flag: string, value: string | undefined) => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new LabError("usage", `${flag} ${value} is not a whole number`);
  return n;
};

const create = defineCommand({
  meta: { name: "create", description: "Create a vxlan tunnel stitched to a host interface (vx-<link>)" },
  args: {
    remote: { type: "string", description: "Address of the remote VTEP" },
    id: { type: "string", alias: "i", description: "VNI" },
    link: { type: "string", alias: "l", description: "Host interface the tunnel is stitched to (tc redirect)" },
    dev: { type: "string", description: "Underlay interface (default: the route to --remote)" },
    "dst-port": { type: "string", alias: "p", description: `Destination UDP port (default ${TOOLS_VXLAN_PORT})` },
    port: { type: "string", description: "Same as --dst-port (Containerlab's older name)" },
    "src-port": { type: "string", alias: "s", description: "Source UDP port" },
    mtu: { type: "string", alias: "m", description: "Tunnel MTU" },
    ...globalArgs,
  },
  async run({ args }) {
    if (!args.remote || !args.id || !args.link)
      throw new LabError("usage", "lab tools vxlan create needs --remote, --id and --link", {
        hint: "e.g. --remote 10.0.0.2 --id 100 --link r1-eth9",
      });
    const { platform } = await cliContext();
    const r = await createVxlan(platform, {
      remote: args.remote,
      vni: int("--id", args.id) as number,
      link: args.link,
      dev: args.dev,
      dstPort: int("--dst-port", args["dst-port"] ?? args.port),
      srcPort: int("--src-port", args["src-port"]),
      mtu: int("--mtu", args.mtu),
    });
    logger.success(
      `vxlan ${r.name} to ${args.remote} (VNI ${args.id}, via ${r.parent}) stitched to ${args.link}${r.owner.startsWith("lab:") ? `; lab down of ${r.owner.split(":")[1]} removes it` : ""}`,
    );
  },
});

const remove = defineCommand({
  meta: { name: "delete", description: "Delete vxlan tunnels by name prefix (--prefix) or name (--name)" },
  args: {
    prefix: { type: "string", alias: "p", description: "Every vxlan interface whose name starts with this" },
    name: { type: "string", alias: "n", description: "One vxlan interface" },
    ...globalArgs,
  },
  async run({ args }) {
    if (!!args.prefix === !!args.name)
      throw new LabError("usage", "lab tools vxlan delete takes one of --prefix and --name", {
        hint: "e.g. --prefix vx-",
      });
    const { platform } = await cliContext();
    const deleted = await deleteVxlans(platform, { prefix: args.prefix, name: args.name });
    logger.success(deleted.length ? `deleted ${deleted.join(", ")}` : `no vxlan interface starts with ${args.prefix}`);
  },
});

export default defineCommand({
  meta: { name: "vxlan", description: "Ad-hoc vxlan tunnels to a far VTEP" },
  subCommands: { create, delete: remove },
});
