import { defineCommand } from "citty";
import { LabError } from "../../../core/errors.ts";
import type { Impairment } from "../../../core/tools/netem.ts";
import { resetNetem, setNetem, showNetem } from "../../../core/tools/netem-run.ts";
import { parseDuration } from "../../../core/topology/units.ts";
import { logger } from "../../logger.ts";
import { out } from "../../out.ts";
import { printJson } from "../../render/output.ts";
import { renderTable } from "../../render/table.ts";
import { formatArgs, globalArgs } from "../_shared.ts";
import { labArgs, toolScope } from "./_common.ts";

const node = {
  type: "string",
  alias: "n",
  description: "Container name (clab-lab1-r1), or node name with -t/--name",
} as const;
const iface = { type: "string", alias: "i", description: "Interface (Linux or NOS name)" } as const;

const NA = "N/A";
const row = (i: Impairment) => [
  i.interface,
  i.delay || NA,
  i.jitter || NA,
  i.packet_loss ? `${i.packet_loss.toFixed(2)}%` : NA,
  i.rate ? String(i.rate) : NA,
  i.corruption ? `${i.corruption.toFixed(2)}%` : NA,
  i.duplicate ? `${i.duplicate.toFixed(2)}%` : NA,
];
const HEADERS = ["Interface", "Delay", "Jitter", "Packet Loss", "Rate (kbit)", "Corruption", "Duplicate"];

function duration(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDuration(value);
  if (ms === undefined) throw new LabError("usage", `--${flag} ${value} is not a duration`, { hint: "e.g. 100ms, 2s" });
  return ms;
}

function number(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.replace(/%$/, ""));
  if (value.trim() === "" || !Number.isFinite(n)) throw new LabError("usage", `--${flag} ${value} is not a number`);
  return n;
}

function required(value: string | undefined, flag: string): string {
  if (!value) throw new LabError("usage", `lab tools netem needs --${flag}`, { hint: "e.g. -n clab-lab1-r1 -i eth1" });
  return value;
}

const set = defineCommand({
  meta: { name: "set", description: "Set link impairments on a node's interface (replaces what was set)" },
  args: {
    ...labArgs,
    node,
    interface: iface,
    delay: { type: "string", description: "Delay of outgoing packets (100ms, 2s)" },
    jitter: { type: "string", description: "Delay variation (50ms); needs --delay" },
    loss: { type: "string", description: "Random packet loss in percent (0.1 means 0.1%)" },
    rate: { type: "string", description: "Rate limit in kbit/s" },
    corruption: { type: "string", description: "Random corruption probability in percent" },
    duplicate: { type: "string", description: "Random duplication probability in percent" },
    ...formatArgs,
    ...globalArgs,
  },
  async run({ args, rawArgs }) {
    const settings = {
      delayMs: duration("delay", args.delay),
      jitterMs: duration("jitter", args.jitter),
      lossPct: number("loss", args.loss),
      rateKbit: number("rate", args.rate),
      corruptionPct: number("corruption", args.corruption),
      duplicatePct: number("duplicate", args.duplicate),
    };
    const spec = { node: required(args.node, "node"), iface: required(args.interface, "interface") };
    const { lab, deps } = await toolScope(args, rawArgs, "lab tools netem set");
    const { impairment, target } = await setNetem(deps, { ...spec, lab }, settings);
    if (args.format === "json") return printJson({ [target.container]: [impairment] });
    out(`${renderTable(HEADERS, [row(impairment)])}\n`);
  },
});

const show = defineCommand({
  meta: { name: "show", description: "Show the impairments of a node, or of every node of a lab" },
  args: { ...labArgs, node, ...formatArgs, ...globalArgs },
  async run({ args, rawArgs }) {
    const { lab, deps } = await toolScope(args, rawArgs, "lab tools netem show");
    const nodes = await showNetem(deps, { node: args.node, lab });
    if (args.format === "json") {
      // Containerlab's shape: impairments by container, only interfaces that have some.
      const set = (i: Impairment) => !!(i.delay || i.packet_loss || i.rate || i.corruption || i.duplicate);
      return printJson(Object.fromEntries(nodes.map((n) => [n.target.container, n.impairments.filter(set)])));
    }
    if (args.node) return out(`${renderTable(HEADERS, (nodes[0]?.impairments ?? []).map(row))}\n`);
    out(
      `${renderTable(
        ["Node", ...HEADERS],
        nodes.flatMap((n) => n.impairments.map((i) => [n.target.node, ...row(i)])),
      )}\n`,
    );
  },
});

const reset = defineCommand({
  meta: { name: "reset", description: "Remove the impairments of a node's interface" },
  args: { ...labArgs, node, interface: iface, ...globalArgs },
  async run({ args, rawArgs }) {
    const spec = { node: required(args.node, "node"), iface: required(args.interface, "interface") };
    const { lab, deps } = await toolScope(args, rawArgs, "lab tools netem reset");
    const r = await resetNetem(deps, { ...spec, lab });
    // Containerlab's words (cmd/tools_netem.go), which scripts grep; Go's %q quotes the names.
    if (r.removed) logger.success(`Reset impairments on node "${r.target.node}", interface "${r.iface}"`);
    else logger.success(`node ${r.target.node}, interface ${r.iface} had no impairments`);
  },
});

export default defineCommand({
  meta: { name: "netem", description: "Link impairments: delay, jitter, loss, rate, corruption, duplication" },
  subCommands: { set, show, reset },
});
