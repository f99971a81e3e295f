import type { ShareState } from "../../core/share/state.ts";
import { renderTable } from "./table.ts";

// What lab share, lab up --share and lab inspect print about a lab's published ports. Apart from
// the share command so that inspect does not load the providers (ssh2 and the rest) to print it.

/** The published ports: each socket's public address and who may connect, then how to reach each. */
export function publishedTable(state: ShareState): string {
  const rows = state.sockets.map((s) => [
    s.name,
    s.node,
    s.type,
    s.address,
    s.who ?? (s.cloudAuth ? "allow-list" : ""),
  ]);
  const table = renderTable(["NAME", "NODE", "TYPE", "ADDRESS", "WHO MAY CONNECT"], rows);
  const hints = state.sockets.map((s) => `  ${s.node} ${s.type}/${s.target.split(":").at(-1)}: ${s.address}`);
  return `Published ports:\n${table}\n${hints.join("\n")}\n`;
}
