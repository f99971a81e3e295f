import type { Diagnostic, KeyPath } from "./diagnostics.ts";
import type { LoadedTopology } from "./load.ts";

// Keys of Containerlab's schema that lab reads but does not act on as Containerlab would. Each one
// set in the file gets one warning at its line, so nothing is silently ignored.

const NODE_KEYS: Record<string, string> = {
  "link-apply-mode": "lab applies topology changes by re-creating the node; link-apply-mode has no effect",
};

const EXTRAS: Record<string, string> = {
  "mysocket-proxy": "lab share talks to its service directly; extras.mysocket-proxy is not used",
  k8s_kind: "lab does not create Kubernetes-in-Docker clusters; extras.k8s_kind is not used",
};

const TOP: Record<string, string> = {
  debug: "debug: in the topology has no effect in lab; pass --verbose instead",
};

/** One warning per key lab does not honour, with its position. */
export function warnUnhonoured(loaded: LoadedTopology, warnings: Diagnostic[]): void {
  const { raw, map } = loaded;
  const warn = (path: KeyPath, message: string) => warnings.push(map.at(path, message, undefined, true));
  for (const [key, message] of Object.entries(TOP))
    if ((raw as Record<string, unknown>)[key] !== undefined && (raw as Record<string, unknown>)[key] !== null)
      warn([key], message);
  const topo = raw.topology;
  const levels: [KeyPath, Record<string, unknown> | null | undefined][] = [
    [["topology", "defaults"], topo.defaults],
    ...Object.entries(topo.kinds ?? {}).map(([k, v]) => [["topology", "kinds", k], v] as [KeyPath, typeof v]),
    ...Object.entries(topo.groups ?? {}).map(([k, v]) => [["topology", "groups", k], v] as [KeyPath, typeof v]),
    ...Object.entries(topo.nodes ?? {}).map(([k, v]) => [["topology", "nodes", k], v] as [KeyPath, typeof v]),
  ];
  for (const [path, cfg] of levels) {
    if (!cfg) continue;
    for (const [key, message] of Object.entries(NODE_KEYS)) {
      if (cfg[key] === undefined) continue;
      warn([...path, key], message);
    }
    const extras = cfg.extras as Record<string, unknown> | undefined;
    for (const [key, message] of Object.entries(EXTRAS))
      if (extras?.[key] !== undefined) warn([...path, "extras", key], message);
    if (cfg.runtime !== undefined && cfg.runtime !== "docker")
      warn(
        [...path, "runtime"],
        `lab deploys every node on one engine; runtime: ${cfg.runtime} on a node is not used (pass --runtime)`,
      );
    const stages = cfg.stages as Record<string, { exec?: unknown } | undefined> | undefined;
    if (stages?.exit?.exec)
      warn(
        [...path, "stages", "exit", "exec"],
        "lab does not wait for nodes to exit; exit-stage exec commands are not run",
      );
  }
}
