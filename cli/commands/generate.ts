import { writeFile } from "node:fs/promises";
import { defineCommand, runCommand } from "citty";
import { generateClos, parseKindValues, parseStages } from "../../core/generate/clos.ts";
import { logger } from "../logger.ts";
import { out } from "../out.ts";
import { globalArgs, repeated, workerArgs } from "./_shared.ts";

/** `--x a,b --x c` as a list (Containerlab's StringSlice flags). */
const list = (rawArgs: string[], name: string, value: string | undefined) => {
  const raw = repeated(rawArgs, name);
  return (raw.length ? raw : value ? [value] : [])
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean);
};

export default defineCommand({
  meta: { name: "generate", description: "Generate a Clos topology (Containerlab's generate); --deploy deploys it" },
  args: {
    name: { type: "string", description: "Lab name" },
    nodes: { type: "string", description: "Stages: N[:kind[:type]], comma-separated (e.g. 2,4)" },
    kind: { type: "string", default: "srl", description: "Kind of nodes whose stage names none" },
    image: { type: "string", description: "[kind=]image, repeatable" },
    license: { type: "string", description: "[kind=]license file, repeatable" },
    "node-prefix": { type: "string", default: "node", description: "Prefix of node names" },
    "group-prefix": { type: "string", default: "tier", description: "Prefix of group names" },
    network: { type: "string", description: "Management network name" },
    "ipv4-subnet": { type: "string", alias: "4", description: "Management IPv4 subnet" },
    "ipv6-subnet": { type: "string", alias: "6", description: "Management IPv6 subnet" },
    file: { type: "string", description: "Write the topology here (else stdout; with --deploy, <name>.clab.yml)" },
    deploy: { type: "boolean", description: "Deploy it (lab up --reconfigure)" },
    "export-rendered": {
      type: "string",
      description: "With --deploy: write the topology as rendered to this file (deploy's --export-rendered)",
    },
    owner: { type: "string", description: "With --deploy: owner recorded on the nodes (deploy's --owner)" },
    privileged: {
      type: "boolean",
      default: true,
      description: "Nodes run privileged, as Containerlab's do; --no-privileged where the host cannot",
    },
    ...workerArgs,
    ...globalArgs,
  },
  async run({ args, rawArgs }) {
    const kind = args.kind;
    const text = generateClos({
      name: args.name ?? "",
      stages: parseStages(list(rawArgs, "nodes", args.nodes), kind),
      images: parseKindValues(list(rawArgs, "image", args.image), kind, "--image"),
      licenses: parseKindValues(list(rawArgs, "license", args.license), kind, "--license"),
      nodePrefix: args["node-prefix"],
      groupPrefix: args["group-prefix"],
      network: args.network,
      ipv4Subnet: args["ipv4-subnet"],
      ipv6Subnet: args["ipv6-subnet"],
      privileged: args.privileged,
    });
    const file = args.file ?? (args.deploy ? `${args.name}.clab.yml` : undefined);
    if (!file) return out(text);
    await writeFile(file, text);
    logger.info(`wrote ${file}`);
    if (!args.deploy) return;
    const up = (await import("./up.ts")).default;
    // What Containerlab's generate hands its deploy (cmd/generate.go): the deploy flags it shares.
    const pass = (flag: "max-workers" | "export-rendered" | "owner") => (args[flag] ? [`--${flag}`, args[flag]] : []);
    await runCommand(up, {
      rawArgs: ["-t", file, "--reconfigure", ...pass("max-workers"), ...pass("export-rendered"), ...pass("owner")],
    });
  },
});
