import { randomBytes } from "node:crypto";
import { LabError } from "../errors.ts";
import type { LabModel } from "../topology/model.ts";
import type { ShareEntry } from "./plan.ts";

// lab share --console: the lab's page with a terminal per node, served on loopback and published
// like a node's http port. Never open without a credential: Border0's policy (the lab's allow-list),
// or elsewhere a login for this share (given, or made here and printed once).

/** The share entry's node: not a lab node; its tunnel goes to the console server on loopback. */
export const CONSOLE_NODE = "lab-console";

/** Everyone any of the lab's publish entries lets in: the console's allow-list at Border0. */
export function consoleEntry(lab: LabModel, port: number): ShareEntry {
  if (lab.nodes.some((n) => n.name === CONSOLE_NODE))
    throw new LabError("input", `lab ${lab.name} has a node named ${CONSOLE_NODE}, the name of its shared console`, {
      hint: "Rename the node to share its console",
    });
  const all = lab.nodes.flatMap((n) => n.publish);
  return {
    name: `clab-http-${port}-${CONSOLE_NODE}`,
    node: CONSOLE_NODE,
    container: "",
    entry: {
      type: "http",
      port,
      emails: [...new Set(all.flatMap((e) => e.emails))],
      domains: [...new Set(all.flatMap((e) => e.domains))],
      spec: "console",
    },
  };
}

/** The login of a shared console: the given password, else a fresh one (to print once). */
export function consoleLogin(user: string | undefined, password: string | undefined) {
  return { user: user || "lab", password: password || randomBytes(12).toString("base64url"), made: !password };
}
