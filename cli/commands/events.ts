import { defineCommand } from "citty";
import { LabError } from "../../core/errors.ts";
import { eventFormatter } from "../../core/events/format.ts";
import { streamEventsOnHosts } from "../../core/events/stream.ts";
import { parseDuration } from "../../core/topology/units.ts";
import { cliHosts } from "../context.ts";
import { logger } from "../logger.ts";
import { out } from "../out.ts";
import { globalArgs, hostArgs, interruptSignal, labOf, repeated, selectArgs } from "./_shared.ts";

export default defineCommand({
  meta: {
    name: "events",
    description: "Stream lab nodes' container events and the interface changes inside them, until Ctrl-C",
  },
  args: {
    ...selectArgs,
    ...hostArgs,
    format: { type: "string", alias: "f", default: "plain", description: "plain or json (one object per line)" },
    "initial-state": {
      type: "boolean",
      alias: "i",
      description: "Emit the current containers and interfaces before streaming",
    },
    "interface-stats": { type: "boolean", description: "Add interface counters and rates every interval" },
    interval: { type: "string", default: "1s", description: "Interval of interface stats (Go duration: 1s, 500ms)" },
    "interface-stats-interval": { type: "string", description: "Containerlab's name for --interval" },
    ...globalArgs,
  },
  async run({ args, rawArgs }) {
    const format = eventFormatter(args.format);
    const spelled = args["interface-stats-interval"] ?? args.interval;
    const intervalMs = parseDuration(spelled);
    if (!intervalMs || intervalMs < 100)
      throw new LabError("usage", `--interval ${spelled} is not a duration of at least 100ms`, {
        hint: "Write it as Go does: 1s, 500ms, 2m",
      });
    // Every lab unless one is named (Containerlab's events follow all labs).
    const selected = args.all || (!args.name && !args.topo) ? undefined : await labOf(args, rawArgs, "lab events");
    const lab = selected?.name;
    // Every host the lab runs on (every remembered host when no lab is named), one stream each.
    const { hosts } = await cliHosts({ lab: selected?.lab, name: lab, all: !lab, flags: repeated(rawArgs, "host") });
    const signal = interruptSignal(() => {});
    await streamEventsOnHosts(
      hosts,
      {
        lab,
        initialState: !!args["initial-state"],
        stats: !!args["interface-stats"],
        intervalMs,
        signal,
        ready: () =>
          logger.info(
            `following ${lab ? `lab ${lab}` : "every lab"}${hosts.remotes.length ? ` on ${hosts.all.length} hosts` : ""} (Ctrl-C to stop)`,
          ),
      },
      (e) => out(`${format(e)}\n`),
    );
  },
});
