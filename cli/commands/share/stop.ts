import { defineCommand } from "citty";
import { stopShare } from "../../../core/share/control.ts";
import { cliContext } from "../../context.ts";
import { logger } from "../../logger.ts";
import { terminalReporter } from "../../render/progress.ts";
import { globalArgs } from "../_shared.ts";
import { shareArgs, shareLab } from "./_common.ts";

export default defineCommand({
  meta: { name: "stop", description: "Close the lab's tunnels and delete its sockets" },
  args: { ...shareArgs, ...globalArgs },
  async run({ args }) {
    const { platform, docker } = await cliContext();
    const { lab } = await shareLab(args, docker, platform.env);
    const r = await stopShare(lab.labDir, platform, terminalReporter());
    logger.success(
      r.wasRunning || r.deleted.length ? `stopped sharing lab ${lab.name}` : `lab ${lab.name} was not shared`,
    );
  },
});
