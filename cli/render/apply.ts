import { type ApplyDiff, applyLinkName } from "../../core/deploy/apply-plan.ts";
import { renderTable } from "./table.ts";

const endName = (p: ApplyDiff["deleteEnds"][number]) =>
  p.where === "container" ? `${p.node}:${p.iface}` : `host:${p.iface}`;

const reasonOf = (diff: ApplyDiff, node: string) =>
  diff.changes.find((c) => c.what === "node" && c.action === "recreate" && c.name === node)?.reason;

/**
 * Containerlab's apply result rows (cmd/deploy.go printApplyResult): one row per value, its labels in
 * its order, a re-created node with its reason; lab adds the links it deletes.
 */
export function applyRows(diff: ApplyDiff): [string, string][] {
  const rows: [string, string[]][] = [
    ["added nodes", diff.createNodes],
    ["deleted nodes", diff.deleteNodes],
    ["recreated nodes", diff.recreateNodes.map((n) => (reasonOf(diff, n) ? `${n} (${reasonOf(diff, n)})` : n))],
    ["added links", diff.createLinks.map(applyLinkName)],
    ["deleted endpoints", [...new Set(diff.deleteEnds.map(endName))]],
    ["deleted links", diff.changes.filter((c) => c.what === "link" && c.action === "delete").map((c) => c.name)],
  ];
  return rows.flatMap(([label, values]) => values.map((v): [string, string] => [label, v]));
}

/** The Action | Details table; "no changes" when there are none, as Containerlab prints it. */
export function applyTable(diff: ApplyDiff): string {
  const rows = applyRows(diff);
  return renderTable(["Action", "Details"], rows.length ? rows : [["no changes", "-"]]);
}

/** Containerlab's ApplyResult keys (so its scripts read ours), with each change and reason too. */
export function applyJson(lab: string, diff: ApplyDiff | undefined, dryRun: boolean) {
  const reasons = Object.fromEntries(
    (diff?.recreateNodes ?? []).map((n) => [n, diff ? reasonOf(diff, n) : undefined]).filter(([, r]) => r),
  );
  return {
    "dry-run": dryRun,
    "deployed-lab": !diff,
    "lab-name": lab,
    "added-nodes": diff?.createNodes ?? [],
    "deleted-nodes": diff?.deleteNodes ?? [],
    "recreated-nodes": diff?.recreateNodes ?? [],
    "started-nodes": [],
    "added-links": (diff?.createLinks ?? []).map(applyLinkName),
    "deleted-endpoints": [...new Set((diff?.deleteEnds ?? []).map(endName))],
    "restarted-nodes": [],
    "node-change-reasons": reasons,
    "deleted-links": (diff?.changes ?? []).filter((c) => c.what === "link" && c.action === "delete").map((c) => c.name),
    changes: diff?.changes ?? [],
    notes: diff?.notes ?? [],
  };
}
