import { defineCommand } from "citty";
import { shareTargets } from "../../../core/share/control.ts";
import { runShare } from "../../../core/share/supervisor.ts";
import { cliContext, cliHosts } from "../../context.ts";
import { logger } from "../../logger.ts";
import { terminalReporter } from "../../render/progress.ts";
import { globalArgs } from "../_shared.ts";
import { shareArgs, shareLab, shareProvider } from "./_common.ts";
import { consoleArgs, consoleLoginFor, startShareConsole } from "./_console.ts";

// The background process behind `lab share --detach`: same work as the foreground, stopped by SIGTERM.
export default defineCommand({
  meta: { name: "_run", description: "(internal) hold a lab's tunnels in the background", hidden: true },
  args: { ...shareArgs, ...consoleArgs, ...globalArgs },
  async run({ args }) {
    const { platform, docker } = await cliContext();
    const { lab, entries } = await shareLab(args, docker, platform.env);
    const controller = new AbortController();
    process.on("SIGTERM", () => controller.abort());
    process.on("SIGINT", () => controller.abort());
    logger.info(`sharing lab ${lab.name} (pid ${process.pid})`);
    const provider = await shareProvider(args, platform, { dir: lab.dir, remote: !!lab.remote });
    const { hosts } = await cliHosts({ lab, flags: [] });
    const targets = await shareTargets(hosts, lab.name);
    // The console's password came through the environment from the process the user started.
    const login = await consoleLoginFor(args, provider.id);
    const shared = args.console
      ? await startShareConsole({ lab, hosts, readOnly: !!args["read-only"], login, signal: controller.signal })
      : undefined;
    if (shared) {
      entries.push(shared.entry);
      targets.set(...shared.target);
    }
    await runShare({
      lab: lab.name,
      labDir: lab.labDir,
      entries,
      targets,
      extraState: shared?.extraState,
      provider,
      reporter: terminalReporter(),
      signal: controller.signal,
    });
  },
});
