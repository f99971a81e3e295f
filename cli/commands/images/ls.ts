import { defineCommand } from "citty";
import { listRepositories } from "../../../core/registry/list.ts";
import { localImages } from "../../../core/registry/local.ts";
import { registrySession } from "../../../core/registry/session.ts";
import { cliContext } from "../../context.ts";
import { logger } from "../../logger.ts";
import { out } from "../../out.ts";
import { printJson } from "../../render/output.ts";
import { renderTable } from "../../render/table.ts";
import { formatArgs, globalArgs, loadTopology, topoArgs, topoOptions } from "../_shared.ts";
import { registryArgs, sessionOptions } from "./_shared.ts";

export default defineCommand({
  meta: {
    name: "ls",
    description: "List a registry's repositories, or without one every local image and the labs that use it",
  },
  args: {
    registry: { type: "positional", description: "registry[:port]; omit for local images", required: false },
    ...topoArgs,
    lab: { type: "boolean", description: "Only the images labs use (deployed, or the topology's with -t)" },
    ...registryArgs,
    ...formatArgs,
    ...globalArgs,
  },
  async run({ args, rawArgs }) {
    const { platform, docker } = await cliContext();
    if (!args.registry) {
      const topology = args.topo ? await loadTopology(args.topo, topoOptions(args, rawArgs)) : undefined;
      const images = await localImages(docker, { topology, labOnly: !!args.lab });
      if (args.format === "json") return printJson(images);
      const rows = images.map((i) => [
        i.repository,
        i.tag,
        i.id || "(not present)",
        i.size ? `${(i.size / 1e6).toFixed(0)}MB` : "",
        i.labs.join(", ") || "-",
      ]);
      out(`${renderTable(["REPOSITORY", "TAG", "IMAGE ID", "SIZE", "USED BY"], rows)}\n`);
      return;
    }
    const client = await registrySession(args.registry, await sessionOptions(args), platform);
    const list = await listRepositories(client);
    if (list.source === "harbor-projects")
      logger.info(
        `${args.registry} refused the catalog; listed through Harbor's projects API instead (/api/v2.0/projects)`,
      );
    if (args.format === "json")
      return printJson({ registry: args.registry, source: list.source, repositories: list.repositories });
    out(list.repositories.map((r) => `${r}\n`).join(""));
  },
});
