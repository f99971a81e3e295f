import { defineCommand } from "citty";
import { logout } from "../../../core/registry/login.ts";
import { cliContext } from "../../context.ts";
import { logger } from "../../logger.ts";
import { globalArgs } from "../_shared.ts";

export default defineCommand({
  meta: { name: "logout", description: "Forget stored credentials for a registry" },
  args: {
    registry: { type: "positional", description: "registry[:port]", required: true },
    ...globalArgs,
  },
  async run({ args }) {
    const { platform } = await cliContext();
    const had = await logout(args.registry, platform);
    logger.success(had ? `logged out of ${args.registry}` : `no stored credentials for ${args.registry}`);
  },
});
