import { mkdir, readFile, writeFile } from "node:fs/promises";
import type { Platform } from "../../runtime/platform/index.ts";
import { LabError } from "../errors.ts";
import { alive } from "../share/state.ts";
import { sleep } from "../sleep.ts";
import { CONSOLES_DIR, type ConsoleServer, consoleName, listConsoles, recordConsole } from "./registry.ts";

// tools gotty attach: lab's own console server (the graph page and its terminals, lab graph) for a
// lab, started in the background on an address and port, with a login when it has one. No
// container: the terminals are execs into the nodes, as lab shell's.

export interface ConsoleStart {
  lab: string;
  host: string;
  port: number;
  owner: string;
  /** The page's login; the password reaches the server through its environment, never its argv. */
  login?: { user: string; password: string };
  timeoutMs?: number;
}

/** Starts the server and waits until it answers (or says why it could not); records it for list. */
export async function startConsole(platform: Platform, o: ConsoleStart): Promise<ConsoleServer> {
  if ((await listConsoles()).some((c) => c.lab === o.lab))
    throw new LabError("conflict", `a console server for lab ${o.lab} runs already`, {
      hint: "lab tools gotty reattach restarts it; detach stops it",
    });
  await mkdir(CONSOLES_DIR, { recursive: true, mode: 0o755 });
  const log = `${CONSOLES_DIR}/${o.lab}.log`;
  // A fresh log: the wait below reads it for this server's "serving" line.
  await writeFile(log, "", { mode: 0o600 });
  const srv = `${o.host.includes(":") ? `[${o.host}]` : o.host}:${o.port}`;
  const pid = platform.spawnDetached([...platform.selfCommand(), "graph", "--name", o.lab, "--srv", srv], log, {
    NO_COLOR: "1",
    ...(o.login ? { LAB_CONSOLE_USER: o.login.user, LAB_CONSOLE_PASSWORD: o.login.password } : {}),
  });
  const url = `http://${srv}/`;
  const deadline = Date.now() + (o.timeoutMs ?? 30_000);
  for (;;) {
    const text = await readFile(log, "utf8").catch(() => "");
    if (text.includes("serving its picture at")) break;
    if (!alive(pid)) {
      const last = text.trim().split("\n").filter(Boolean).at(-1) ?? "no output";
      throw new LabError("remote", `the console server exited: ${last.replace(/^(ERROR|INFO|WARN)\s+/, "")}`);
    }
    if (Date.now() > deadline) {
      process.kill(pid, "SIGTERM");
      throw new LabError("remote", `the console server did not come up within ${(o.timeoutMs ?? 30_000) / 1000} s`, {
        hint: `See ${log}`,
      });
    }
    await sleep(100);
  }
  const server: ConsoleServer = {
    name: consoleName(o.lab),
    lab: o.lab,
    pid,
    host: o.host,
    port: o.port,
    url,
    owner: o.owner,
    startedAt: new Date().toISOString(),
  };
  await recordConsole(server);
  return server;
}
