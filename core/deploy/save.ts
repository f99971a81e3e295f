import { LabError } from "../errors.ts";
import type { HostSet } from "../hosts/hosts.ts";
import { findKind, type KindDef } from "../kinds/index.ts";
import { saveRunningConfig } from "../ssh/netconf.ts";
import { runningNodes } from "./exec.ts";
import type { LabContainer } from "./inspect.ts";
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
    const kind = findKind(c.kind);
    if (kind?.saveNetconf) return saveOverNetconf(c, kind);
    const command = kind?.saveCommand;
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

/** XRd and kinds like it: NETCONF copy-config running → startup on the node's management address. */
async function saveOverNetconf(c: LabContainer, kind: KindDef): Promise<SaveResult> {
  const result = { node: c.node, container: c.name, kind: c.kind };
  const host = c.ipv4.split("/")[0] || c.ipv6.split("/")[0];
  if (!host) return { ...result, status: "failed", detail: "no management address to reach NETCONF on" };
  try {
    await saveRunningConfig({
      host,
      username: kind.credentials?.username ?? "admin",
      password: kind.credentials?.password ?? "admin",
    });
    return { ...result, status: "saved", detail: "NETCONF copy-config running → startup" };
  } catch (error) {
    return { ...result, status: "failed", detail: error instanceof LabError ? error.message : String(error) };
  }
}
