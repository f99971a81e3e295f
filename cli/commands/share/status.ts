import { defineCommand } from "citty";
import { LabError } from "../../../core/errors.ts";
import { alive, readState } from "../../../core/share/state.ts";
import { cliContext } from "../../context.ts";
import { out } from "../../out.ts";
import { printJson } from "../../render/output.ts";
import { renderTable } from "../../render/table.ts";
import { formatArgs, globalArgs } from "../_shared.ts";
import { shareArgs, shareLab } from "./_common.ts";

export default defineCommand({
  meta: { name: "status", description: "Per tunnel: connected, since, reconnects, last error" },
  args: { ...shareArgs, ...formatArgs, ...globalArgs },
  async run({ args }) {
    const { platform, docker } = await cliContext();
    const { lab } = await shareLab(args, docker, platform.env);
    const state = readState(lab.labDir);
    if (!state) throw new LabError("not-found", `lab ${lab.name} is not shared`, { hint: "Start with lab share" });
    const running = alive(state.pid) && !state.stoppedAt;
    if (args.format === "json") return printJson({ ...state, running });
    const rows = state.sockets.map((s) => [
      s.name,
      s.target,
      `${s.dnsname}:${s.ports.join(",")}`,
      running && s.status.connected ? "yes" : "no",
      s.status.since ?? "",
      String(s.status.reconnects),
      String(s.status.connections),
      s.status.lastError ?? "",
    ]);
    out(
      `${renderTable(["NAME", "TARGET", "PUBLIC ADDRESS", "CONNECTED", "SINCE", "RECONNECTS", "CONNECTIONS", "LAST ERROR"], rows)}\n`,
    );
    // Who is on which terminal of a shared console (lab share --console).
    if (state.console) {
      const sessions = running ? (state.consoleSessions ?? []) : [];
      out(
        sessions.length
          ? `Console sessions:\n${renderTable(
              ["NODE", "WHO", "SINCE", "MODE"],
              sessions.map((c) => [c.node, c.who, c.since, c.readOnly ? "read-only" : "read-write"]),
            )}\n`
          : "Console sessions: none\n",
      );
    }
    process.stderr.write(
      running ? `sharer pid ${state.pid}, started ${state.startedAt}\n` : "the sharer is not running\n",
    );
  },
});
