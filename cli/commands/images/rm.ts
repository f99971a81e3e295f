import { defineCommand } from "citty";
import { LabError } from "../../../core/errors.ts";
import { deleteImage, resolveDigest } from "../../../core/registry/delete.ts";
import { formatReference, parseRegistryReference } from "../../../core/registry/reference.ts";
import { registrySession } from "../../../core/registry/session.ts";
import { cliContext } from "../../context.ts";
import { logger } from "../../logger.ts";
import { printJson } from "../../render/output.ts";
import { promptLine } from "../../render/prompt.ts";
import { formatArgs, globalArgs } from "../_shared.ts";
import { registryArgs, sessionOptions } from "./_shared.ts";

export default defineCommand({
  meta: {
    name: "rm",
    description: "Delete an image from a registry: REGISTRY/REPO:TAG (its digest and every tag on it)",
  },
  args: {
    reference: { type: "positional", description: "registry[:port]/repo:tag or …@sha256:…", required: true },
    yes: { type: "boolean", alias: "y", description: "Do not ask for confirmation" },
    ...registryArgs,
    ...formatArgs,
    ...globalArgs,
  },
  async run({ args }) {
    const ref = parseRegistryReference(args.reference);
    const { platform } = await cliContext();
    const client = await registrySession(
      ref.registry,
      { ...(await sessionOptions(args)), repository: ref.repository },
      platform,
    );
    const digest = await resolveDigest(client, ref);
    if (!args.yes) {
      if (!process.stdin.isTTY)
        throw new LabError("usage", `lab images rm ${args.reference} asks for confirmation, and there is no terminal`, {
          hint: "Pass -y to delete without asking",
        });
      const answer = await promptLine(
        `Delete ${formatReference(ref)} (${digest.slice(0, 19)}) and every tag on that digest? [y/N] `,
      );
      if (!/^y(es)?$/i.test(answer.trim())) {
        logger.info("nothing deleted");
        return;
      }
    }
    const result = await deleteImage(client, ref, { digest });
    if (args.format === "json") return printJson(result);
    logger.success(
      `deleted ${formatReference(ref)} (${digest.slice(0, 19)})${result.via === "harbor" ? " through Harbor's API" : ""}`,
    );
  },
});
