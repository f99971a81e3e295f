import { defineCommand } from "citty";
import { LabError } from "../../../core/errors.ts";
import { shareTargets, startDetached } from "../../../core/share/control.ts";
import { alive, readState } from "../../../core/share/state.ts";
import { runShare } from "../../../core/share/supervisor.ts";
import { cliContext, cliHosts } from "../../context.ts";
import { logger } from "../../logger.ts";
import { out } from "../../out.ts";
import { printJson } from "../../render/output.ts";
import { terminalReporter } from "../../render/progress.ts";
import { publishedTable } from "../../render/published.ts";
import { formatArgs, globalArgs, interruptSignal } from "../_shared.ts";
import { detachedArgs, shareArgs, shareLab, shareProvider } from "./_common.ts";
import { consoleArgs, consoleLoginFor, startShareConsole } from "./_console.ts";

const load = (m: Promise<{ default: unknown }>) => m.then((r) => r.default as ReturnType<typeof defineCommand>);
const SUB = new Set(["status", "stop", "_run"]);

export default defineCommand({
  meta: {
    name: "share",
    description: "Publish nodes' ports through Border0, your own SSH host or mysocket, and hold the tunnels",
  },
  args: {
    ...shareArgs,
    ...consoleArgs,
    detach: { type: "boolean", alias: "d", description: "Run in the background (pid, status and logs in the lab dir)" },
    ...formatArgs,
    ...globalArgs,
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
    const { lab, entries, limits } = await shareLab(args, docker, platform.env);
    const previous = readState(lab.labDir);
    if (previous && alive(previous.pid) && !previous.stoppedAt && !previous.error)
      throw new LabError("conflict", `lab ${lab.name} is already shared (pid ${previous.pid})`, {
        hint: "See lab share status, or lab share stop",
      });
    const provider = await shareProvider(args, platform, { dir: lab.dir, remote: !!lab.remote });
    // Refused here, before a background sharer starts, so the refusal is the command's own line.
    provider.checkEntries?.(entries);
    const login = await consoleLoginFor(args, provider.id);
    const show = (state: Parameters<typeof publishedTable>[0]) => {
      if (args.format === "json") return printJson(state);
      out(publishedTable(state));
      if (login?.made) logger.info(`console login: ${login.user} / ${login.password} (shown once)`);
      else if (login) logger.info(`console login: ${login.user} and the password given`);
    };
    const consoleFlags = args.console
      ? [
          "--console",
          ...(args["console-only"] ? ["--console-only"] : []),
          ...(args["read-only"] ? ["--read-only"] : []),
          ...(login ? ["--console-user", login.user] : []),
        ]
      : [];
    if (args.detach) {
      if (lab.file === "<stdin>")
        throw new LabError("usage", "--detach needs the topology in a file", { hint: "Pass -t FILE" });
      logger.info(`sharing lab ${lab.name} through ${provider.describe()}`);
      const state = await startDetached(
        platform,
        lab.labDir,
        [...detachedArgs(lab.file, provider, limits), ...consoleFlags],
        60_000,
        login ? { LAB_CONSOLE_PASSWORD: login.password } : undefined,
      );
      for (const note of state.notes ?? []) logger.warn(note);
      show(state);
      logger.success(
        `sharing ${state.sockets.length} ports of lab ${lab.name} in the background (pid ${state.pid}); lab share stop ends it`,
      );
      return;
    }
    logger.info(`sharing lab ${lab.name} through ${provider.describe()}`);
    const signal = interruptSignal(() => logger.info("stopping: closing tunnels and deleting sockets"));
    const { hosts } = await cliHosts({ lab, flags: [] });
    // Nodes on other hosts are reached through their host's SSH connection.
    const targets = await shareTargets(hosts, lab.name);
    const shared = args.console
      ? await startShareConsole({ lab, hosts, readOnly: !!args["read-only"], login, signal })
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
      signal,
      onReady(state) {
        if (state.error) return;
        show(state);
        logger.success(
          `sharing ${state.sockets.length} ports of lab ${lab.name}; Ctrl-C stops and deletes the sockets`,
        );
      },
    });
  },
});
