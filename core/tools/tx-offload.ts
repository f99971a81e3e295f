import { LabError } from "../errors.ts";
import { type NodeTarget, resolveInterface, resolveTarget, type ToolDeps } from "./target.ts";

/** lab tools disable-tx-offload: TX checksum offload off on a node's interface (eth0 by default, as Containerlab). */
export async function disableNodeTxOffload(
  deps: ToolDeps,
  spec: { container: string; lab?: string; iface?: string },
): Promise<{ target: NodeTarget; iface: string }> {
  const target = await resolveTarget(deps.hosts, spec.container, spec.lab);
  const iface = await resolveInterface(target, spec.iface ?? "eth0");
  const [result] = await target.host.platform.txChecksumOff(`/proc/${target.pid}/ns/net`, [iface]);
  if (result?.error)
    throw new LabError("engine", `cannot turn TX checksum offload off on ${target.node}:${iface}: ${result.error}`);
  return { target, iface };
}
