import { defineCommand } from "citty";
import { LabError } from "../../../core/errors.ts";
import { listTags } from "../../../core/registry/list.ts";
import { parseReference } from "../../../core/registry/reference.ts";
import { registrySession } from "../../../core/registry/session.ts";
import { cliContext } from "../../context.ts";
import { out } from "../../out.ts";
import { printJson } from "../../render/output.ts";
import { formatArgs, globalArgs } from "../_shared.ts";
import { registryArgs, sessionOptions } from "./_shared.ts";

export default defineCommand({
  meta: { name: "tags", description: "List the tags of a repository: REGISTRY/REPO" },
  args: {
    repository: { type: "positional", description: "registry[:port]/repo", required: true },
    ...registryArgs,
    ...formatArgs,
    ...globalArgs,
  },
  async run({ args }) {
    const ref = parseReference(args.repository);
    if (ref.registry === "docker.io" && !args.repository.startsWith("docker.io/")) {
      throw new LabError("usage", `${args.repository} names no registry`, { hint: "Use registry[:port]/repo" });
    }
    const { platform } = await cliContext();
    const client = await registrySession(
      ref.registry,
      { ...(await sessionOptions(args)), repository: ref.repository },
      platform,
    );
    const tags = await listTags(client, ref.repository);
    if (args.format === "json") return printJson({ repository: `${ref.registry}/${ref.repository}`, tags });
    out(tags.map((t) => `${t}\n`).join(""));
  },
});
