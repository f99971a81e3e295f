import { findKind } from "../kinds/index.ts";

// What a NOS's users type to get its CLI, by kind (Containerlab's docs for each kind, "Interactive
// CLI"/"Accessing the node"): the command `lab shell` and the page's terminals run in the node.

const SHELLS: Record<string, string[]> = {
  nokia_srlinux: ["sr_cli"],
  arista_ceos: ["Cli"],
  juniper_crpd: ["cli"],
  cisco_xrd: ["/pkg/bin/xr_cli.sh"],
  fdio_vpp: ["vppctl"],
};

/** bash where the image has it, else sh (Containerlab's docs reach Linux nodes with `docker exec -it … bash`). */
const DEFAULT = ["sh", "-c", "command -v bash >/dev/null 2>&1 && exec bash || exec sh"];

/** A vrnetlab VM's serial console: telnet to port 5000 inside the container, as Containerlab's docs do. */
const VM_CONSOLE = ["sh", "-c", "command -v telnet >/dev/null 2>&1 && exec telnet 127.0.0.1 5000 || exec sh"];

/** The command for a node of this kind (its name or an alias); `override` (lab shell --cmd) wins, run by sh. */
export function shellCommand(kind: string, override?: string): string[] {
  if (override) return ["sh", "-c", override];
  const def = findKind(kind);
  if (def && SHELLS[def.name]) return SHELLS[def.name] as string[];
  return def?.vm ? VM_CONSOLE : DEFAULT;
}
