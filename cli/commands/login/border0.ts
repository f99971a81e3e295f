import { defineCommand } from "citty";
import { BORDER0_API } from "../../../core/share/border0-api.ts";
import { border0DeviceLogin } from "../../../core/share/border0-login.ts";
import { border0TokenFile, decodeBorder0Token } from "../../../core/share/border0-token.ts";
import { cliContext } from "../../context.ts";
import { logger } from "../../logger.ts";
import { globalArgs } from "../_shared.ts";

export default defineCommand({
  meta: {
    name: "border0",
    description: "Log in to Border0 in the browser (device authorization); the token goes to ~/.border0/token",
  },
  args: {
    api: { type: "string", description: "Border0 API base URL (default: $BORDER0_API or the service)" },
    ...globalArgs,
  },
  async run({ args }) {
    const { platform } = await cliContext();
    const file = border0TokenFile(platform.env);
    const token = await border0DeviceLogin({
      api: args.api ?? platform.env("BORDER0_API") ?? BORDER0_API,
      portal: platform.env("BORDER0_PORTAL"),
      file,
      tell: (url) => logger.info(`open this link to log in, then approve lab (waiting up to 3 minutes):\n  ${url}`),
    });
    const info = decodeBorder0Token(token, file);
    const until = info.expiresAt ? `, valid until ${new Date(info.expiresAt).toISOString()}` : "";
    logger.success(
      `approved: logged in to Border0 as ${info.account}${info.org ? ` of organisation ${info.org}` : ""}; token stored in ${file} (mode 0600)${until}`,
    );
  },
});
