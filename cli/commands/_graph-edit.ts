import { resolve } from "node:path";
import type { Reporter } from "../../core/deploy/reporter.ts";
import { dryRunUp, planOnHosts, upLab } from "../../core/deploy/up.ts";
import type { EditHooks } from "../../core/graph/edit/routes.ts";
import { EditSession } from "../../core/graph/edit/session.ts";
import { cliHosts } from "../context.ts";
import { applyTable } from "../render/apply.ts";
import { terminalReporter } from "../render/progress.ts";
import { renderTable } from "../render/table.ts";
import { loadTopology, maxWorkers, owner, type TopologyOptions } from "./_shared.ts";

// lab graph --edit: the editing session of the topology file, and what its page's Plan and Apply
// run: `lab up --dry-run` and `lab up` of the saved file, loaded as those commands load it.

export async function editHooks(
  file: string,
  options: TopologyOptions,
  hostFlags: string[],
  signal: AbortSignal,
): Promise<EditHooks> {
  const session = await EditSession.open(resolve(file), { env: process.env, owner: options.owner || owner() });
  const prepare = async () => {
    const lab = await loadTopology(session.file, options);
    const { hosts, nodeHost } = await cliHosts({ lab, flags: hostFlags });
    return { lab, hosts, plan: await planOnHosts(lab, hosts, nodeHost) };
  };
  return {
    session,
    async dryRun() {
      const { lab, hosts, plan } = await prepare();
      const diff = await dryRunUp(lab, plan, hosts);
      if (diff) return [`Apply plan (lab ${lab.name})`, applyTable(diff), ...diff.notes].join("\n");
      return [
        `lab ${lab.name} is not running: Apply deploys it`,
        renderTable(
          ["Node", "Kind", "Image"],
          lab.nodes.map((n) => [n.name, n.kind.name, n.image ?? ""]),
        ),
        `${lab.links.length} links`,
      ].join("\n");
    },
    async up() {
      const { lab, hosts, plan } = await prepare();
      const said: string[] = [];
      const shown = terminalReporter();
      // What the deploy says goes to this terminal as `lab up` says it, and its summary to the page.
      const reporter: Reporter = {
        ...shown,
        warn: (m) => (said.push(`WARN ${m}`), shown.warn(m)),
        error: (m) => (said.push(`ERROR ${m}`), shown.error(m)),
      };
      const outcome = await upLab(lab, plan, { hosts, reporter }, { maxWorkers: maxWorkers(undefined), signal });
      const head =
        outcome.mode === "applied"
          ? `lab ${lab.name} applied: ${outcome.diff.changes.length} changes\nApply summary\n${applyTable(outcome.diff)}`
          : outcome.mode === "unchanged"
            ? `lab ${lab.name} is up to date: nothing to change`
            : `lab ${lab.name} is up: ${outcome.result.containers.length} containers, ${lab.links.length} links`;
      return [head, ...said].join("\n");
    },
  };
}
