import type { ArgDef } from "citty";
import type { TerminalSession } from "../../../core/console/terminal-server.ts";
import { serveGraph } from "../../../core/graph/server.ts";
import type { HostSet } from "../../../core/hosts/hosts.ts";
import { CONSOLE_NODE, consoleEntry, consoleLogin } from "../../../core/share/console.ts";
import type { ShareEntry } from "../../../core/share/plan.ts";
import type { ShareState } from "../../../core/share/state.ts";
import type { Dialer } from "../../../core/share/tunnel.ts";
import type { LabModel } from "../../../core/topology/model.ts";
import { logger } from "../../logger.ts";
import { loadAssets } from "../_assets.ts";
import { readStdinText } from "../_shared.ts";

export const consoleArgs = {
  console: { type: "boolean", description: "Also share the lab's page with a terminal per node (its own URL)" },
  "read-only": { type: "boolean", description: "With --console: terminals show output and drop what is typed" },
  "console-only": {
    type: "boolean",
    description: "Share the console and none of the nodes' ports (lab graph --share)",
  },
  "console-user": { type: "string", description: "With --console: the login name (default lab)" },
  "console-password-stdin": {
    type: "boolean",
    description:
      "With --console: read the password from stdin (else LAB_CONSOLE_PASSWORD, else one is made and shown once)",
  },
} as const satisfies Record<string, ArgDef>;

export interface ConsoleArgs {
  console?: boolean;
  "console-only"?: boolean;
  "read-only"?: boolean;
  "console-user"?: string;
  "console-password-stdin"?: boolean;
}

/**
 * The login a shared console gets (none through Border0, whose policy is the credential): the
 * password from stdin or LAB_CONSOLE_PASSWORD, else made here. Worked out once, by the process the
 * user started: a background sharer gets it through its environment.
 */
export async function consoleLoginFor(args: ConsoleArgs, provider: string) {
  if (!args.console || provider === "border0") return undefined;
  const given = args["console-password-stdin"]
    ? (await readStdinText()).split(/\r?\n/)[0]
    : process.env.LAB_CONSOLE_PASSWORD || undefined;
  return consoleLogin(args["console-user"] ?? process.env.LAB_CONSOLE_USER, given);
}

/**
 * Starts the console server on loopback for the share (stopped with it), and gives the share entry,
 * its target and what to record in the share's state.
 */
export async function startShareConsole(o: {
  lab: LabModel;
  hosts: HostSet;
  readOnly: boolean;
  login?: { user: string; password: string };
  signal: AbortSignal;
}): Promise<{
  entry: ShareEntry;
  target: [string, { address: string; dial?: Dialer }];
  extraState: () => Partial<ShareState>;
  served: Promise<void>;
}> {
  let sessions: TerminalSession[] = [];
  let listening: (port: number) => void = () => {};
  const port = new Promise<number>((resolve) => {
    listening = resolve;
  });
  const served = serveGraph({
    host: "127.0.0.1",
    port: 0,
    lab: o.lab,
    deps: { hosts: o.hosts },
    assets: await loadAssets(),
    signal: o.signal,
    live: true,
    login: o.login,
    readOnly: o.readOnly,
    onListening: (url) => listening(Number(new URL(url).port)),
    onError: (m) => logger.warn(m),
    onSessions: (s) => {
      sessions = s;
    },
  });
  const p = await Promise.race([port, served.then(() => 0)]);
  return {
    entry: consoleEntry(o.lab, p),
    target: [CONSOLE_NODE, { address: "127.0.0.1" }],
    extraState: () => ({
      console: { url: "", user: o.login?.user, readOnly: o.readOnly },
      consoleSessions: sessions.map((s) => ({ node: s.node, who: s.who, since: s.since, readOnly: s.readOnly })),
    }),
    served,
  };
}
