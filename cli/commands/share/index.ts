import { defineCommand } from "citty";
import { LabError } from "../../../core/errors.ts";
import { endpoints, shareTargets, startDetached } from "../../../core/share/control.ts";
import { alive, readState } from "../../../core/share/state.ts";
import { runShare } from "../../../core/share/supervisor.ts";
import { findToken } from "../../../core/share/token.ts";
import { cliContext } from "../../context.ts";
import { logger } from "../../logger.ts";
import { out } from "../../out.ts";
import { printJson } from "../../render/output.ts";
import { terminalReporter } from "../../render/progress.ts";
import { formatArgs, interruptSignal, verboseArgs } from "../_shared.ts";
import { publishedTable, shareArgs, shareLab } from "./_common.ts";

const load = (m: Promise<{ default: unknown }>) => m.then((r) => r.default as ReturnType<typeof defineCommand>);
const SUB = new Set(["status", "stop", "_run"]);

export default defineCommand({
  meta: { name: "share", description: "Publish nodes' ports through mysocket and hold the tunnels (status, stop)" },
  args: {
    ...shareArgs,
    detach: { type: "boolean", alias: "d", description: "Run in the background (pid, status and logs in the lab dir)" },
    ...formatArgs,
    ...verboseArgs,
  },
  subCommands: {
    status: () => load(import("./status.ts")),
    stop: () => load(import("./stop.ts")),
    _run: () => load(import("./run.ts")),
  },
  async run({ args, rawArgs }) {
    // citty runs this after a subcommand too.
    if (rawArgs.some((a) => SUB.has(a))) return;
    const { platform, docker } = await cliContext();
    const { lab, entries, limits } = await shareLab(args, docker);
    const previous = readState(lab.labDir);
    if (previous && alive(previous.pid) && !previous.stoppedAt) {
      throw new LabError("conflict", `lab ${lab.name} is already shared (pid ${previous.pid})`, {
        hint: "See lab share status, or lab share stop",
      });
    }
    const token = await findToken(platform.env, lab.dir);
    const ep = endpoints(platform.env, args.api);
    if (args.detach) {
      if (lab.file === "<stdin>")
        throw new LabError("usage", "--detach needs the topology in a file", { hint: "Pass -t FILE" });
      const state = await startDetached(platform, lab.labDir, [
        "-t",
        lab.file,
        "--api",
        ep.api,
        "--max-tcp",
        String(limits.tcp),
        "--max-http",
        String(limits.http),
      ]);
      if (args.format === "json") return printJson(state);
      out(publishedTable(state));
      logger.success(
        `sharing ${state.sockets.length} ports of lab ${lab.name} in the background (pid ${state.pid}); lab share stop ends it`,
      );
      return;
    }
    const signal = interruptSignal(() => logger.info("stopping: closing tunnels and deleting sockets"));
    await runShare({
      lab: lab.name,
      labDir: lab.labDir,
      entries,
      targets: await shareTargets(docker, lab.name),
      token,
      api: ep.api,
      edge: ep.edge,
      reporter: terminalReporter(),
      signal,
      onReady(state) {
        if (state.error) return;
        if (args.format === "json") printJson(state);
        else out(publishedTable(state));
        logger.success(
          `sharing ${state.sockets.length} ports of lab ${lab.name}; Ctrl-C stops and deletes the sockets`,
        );
      },
    });
  },
});
