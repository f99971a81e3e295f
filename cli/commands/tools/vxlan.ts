import { defineCommand } from "citty";
import { LabError } from "../../../core/errors.ts";
import { createVxlan, deleteVxlans, hostWithLink, TOOLS_VXLAN_PORT } from "../../../core/tools/vxlan.ts";
import { logger } from "../../logger.ts";
import { globalArgs, hostArgs, topoArgs } from "../_shared.ts";
import { labArgs, toolScope } from "./_common.ts";

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
    ...labArgs,
    ...globalArgs,
  },
  async run({ args, rawArgs }) {
    if (!args.remote || !args.id || !args.link)
      throw new LabError("usage", "lab tools vxlan create needs --remote, --id and --link", {
        hint: "e.g. --remote 10.0.0.2 --id 100 --link r1-eth9",
      });
    // In a lab over several hosts, on the host where --link is (a node's host end is on its host).
    const { deps } = await toolScope(args, rawArgs, "lab tools vxlan create", true);
    const host = await hostWithLink(deps.hosts, args.link);
    const r = await createVxlan(host.platform, {
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
    ...topoArgs,
    ...hostArgs,
    ...globalArgs,
  },
  async run({ args, rawArgs }) {
    if (!!args.prefix === !!args.name)
      throw new LabError("usage", "lab tools vxlan delete takes one of --prefix and --name", {
        hint: "e.g. --prefix vx-",
      });
    // On every host of the lab named by -t (this machine only without one).
    const { deps } = await toolScope({ topo: args.topo }, rawArgs, "lab tools vxlan delete", true);
    const deleted: string[] = [];
    for (const h of deps.hosts.all) {
      const on = await deleteVxlans(h.platform, { prefix: args.prefix, name: args.name }).catch((error) => {
        // --name: the one host that has it is enough.
        if (args.name && error instanceof LabError && error.code === "not-found" && deps.hosts.remotes.length)
          return [];
        throw error;
      });
      deleted.push(...on.map((n) => (h.name === "local" ? n : `${n} (${h.name})`)));
    }
    if (args.name && !deleted.length) throw new LabError("not-found", `vxlan interface ${args.name} not found`);
    logger.success(deleted.length ? `deleted ${deleted.join(", ")}` : `no vxlan interface starts with ${args.prefix}`);
  },
});

export default defineCommand({
  meta: { name: "vxlan", description: "Ad-hoc vxlan tunnels to a far VTEP" },
  subCommands: { create, delete: remove },
});
