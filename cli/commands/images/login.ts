import { readFile } from "node:fs/promises";
import { defineCommand } from "citty";
import { LabError } from "../../../core/errors.ts";
import { login } from "../../../core/registry/login.ts";
import { cliContext } from "../../context.ts";
import { logger } from "../../logger.ts";
import { promptSecret } from "../../render/prompt.ts";
import { globalArgs } from "../_shared.ts";
import { registryArgs, sessionOptions } from "./_shared.ts";

export default defineCommand({
  meta: { name: "login", description: "Check credentials against a registry and store them as docker login does" },
  args: {
    registry: { type: "positional", description: "registry[:port]", required: true },
    username: { type: "string", alias: "u", description: "User name (robot accounts with $ work)" },
    ...registryArgs,
    ...globalArgs,
  },
  async run({ args }) {
    const options = await sessionOptions(args);
    let username = args.username;
    let password = options.password;
    if (options.creds) {
      const i = options.creds.indexOf(":");
      username = i < 0 ? options.creds : options.creds.slice(0, i);
      password = i < 0 ? password : options.creds.slice(i + 1);
    }
    if (!username) throw new LabError("usage", "lab images login needs a user name", { hint: "Pass -u USER" });
    if (password === undefined) {
      password = await promptSecret(`Password for ${username}@${args.registry}: `).catch(() => {
        throw new LabError("usage", "no password given", { hint: "Pipe it with --password-stdin" });
      });
    }
    const { platform } = await cliContext();
    const ca = args["ca-file"] ? await readFile(args["ca-file"], "utf8") : undefined;
    const path = await login(args.registry, username, password, { insecure: args.insecure, ca }, platform);
    logger.success(`logged in to ${args.registry} as ${username} (stored in ${path})`);
  },
});
