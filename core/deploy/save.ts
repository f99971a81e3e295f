import type { HostSet } from "../hosts/hosts.ts";
import { findKind } from "../kinds/index.ts";
import { runningNodes } from "./exec.ts";
import { mapLimit } from "./pool.ts";

export interface SaveResult {
  node: string;
  container: string;
  kind: string;
  status: "saved" | "failed" | "skipped";
  /** The command's output, or why the node was skipped. */
  detail: string;
}

/**
 * `lab save`: each running node writes its running configuration where it boots from (SR Linux
 * `tools system configuration save`, cEOS `wr` to flash), the commands Containerlab uses. lab keeps
 * such a config over a redeploy, so save, down, up brings the lab back as it was. Kinds without a
 * save command are reported as skipped.
 */
export async function saveLab(
  hosts: HostSet,
  lab: string,
  nodes: string[] | undefined,
  workers: number,
): Promise<SaveResult[]> {
  const containers = await runningNodes(hosts, lab, nodes);
  return mapLimit(containers, workers, async (c): Promise<SaveResult> => {
    const command = findKind(c.kind)?.saveCommand;
    if (!command)
      return {
        node: c.node,
        container: c.name,
        kind: c.kind,
        status: "skipped",
        detail: `kind ${c.kind} has no save command`,
      };
    const r = await hosts.get(c.host).docker.exec.run(c.id, command);
    const text = (b: Uint8Array) => new TextDecoder().decode(b).trim();
    const detail = [text(r.stdout), text(r.stderr)].filter(Boolean).join("\n");
    return { node: c.node, container: c.name, kind: c.kind, status: r.exitCode === 0 ? "saved" : "failed", detail };
  });
}
