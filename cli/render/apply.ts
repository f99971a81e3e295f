import type { ApplyDiff } from "../../core/deploy/apply-plan.ts";
import { renderTable } from "./table.ts";

/** The diff of `lab up` on a running lab, one row per change with its reason. */
export function applyTable(diff: ApplyDiff): string {
  if (!diff.changes.length) return renderTable(["Action", "What", "Name", "Reason"], [["no changes", "-", "-", "-"]]);
  return renderTable(
    ["Action", "What", "Name", "Reason"],
    diff.changes.map((c) => [c.action, c.what, c.name, c.reason]),
  );
}

const endName = (p: ApplyDiff["deleteEnds"][number]) =>
  p.where === "container" ? `${p.node}:${p.iface}` : `host:${p.iface}`;

/** Containerlab's ApplyResult keys (so its scripts read ours), with each change and reason too. */
export function applyJson(lab: string, diff: ApplyDiff | undefined, dryRun: boolean) {
  const of = (action: string, what: string) =>
    (diff?.changes ?? []).filter((c) => c.action === action && c.what === what).map((c) => c.name);
  const reasons = Object.fromEntries(
    (diff?.changes ?? []).filter((c) => c.what === "node" && c.action === "recreate").map((c) => [c.name, c.reason]),
  );
  return {
    "dry-run": dryRun,
    "deployed-lab": !diff,
    "lab-name": lab,
    "added-nodes": of("create", "node"),
    "deleted-nodes": of("delete", "node"),
    "recreated-nodes": of("recreate", "node"),
    "added-links": of("create", "link"),
    "deleted-links": of("delete", "link"),
    "deleted-endpoints": [...new Set((diff?.deleteEnds ?? []).map(endName))],
    "node-change-reasons": reasons,
    changes: diff?.changes ?? [],
    notes: diff?.notes ?? [],
  };
}
