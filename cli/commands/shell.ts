import { defineCommand } from "citty";
import { consoleTarget, openConsole } from "../../core/console/session.ts";
import { outputStream } from "../../runtime/docker/hijack.ts";
import { demuxStream } from "../../runtime/docker/streams.ts";
import { cliHosts } from "../context.ts";
import { logger } from "../logger.ts";
import { err, out } from "../out.ts";
import { globalArgs, hostArgs, labOf, repeated, topoArgs } from "./_shared.ts";

// `lab shell NODE`: the node's CLI in this terminal, as `docker exec -it` gives it, on whichever host
// of the lab runs the node. Raw mode, the window size followed, Ctrl-] leaves (the session ends),
// and lab exits with the command's exit code. Without a terminal the command runs with stdin piped
// in and its output on stdout and stderr.

const ESCAPE = 0x1d; // Ctrl-], as telnet's escape

export default defineCommand({
  meta: { name: "shell", description: "A terminal on a node: its CLI (sr_cli, Cli, cli, …) or --cmd; Ctrl-] leaves" },
  args: {
    node: { type: "positional", required: true, description: "Node (or container) name" },
    ...topoArgs,
    name: { type: "string", description: "Lab name (instead of -t)" },
    ...hostArgs,
    cmd: { type: "string", description: "Run this (through sh -c) instead of the kind's CLI" },
    ...globalArgs,
  },
  async run({ args, rawArgs }) {
    const { name, lab } = await labOf(args, rawArgs, "lab shell");
    const { hosts } = await cliHosts({ lab, name, flags: repeated(rawArgs, "host") });
    const target = await consoleTarget(hosts, name, String(args.node), args.cmd);
    const tty = !!process.stdin.isTTY && !!process.stdout.isTTY;
    if (!tty) logger.info(`no terminal: running ${target.argv.join(" ")} in ${target.container.name} without one`);
    const size = () => ({ rows: process.stdout.rows || 24, cols: process.stdout.columns || 80 });
    const session = await openConsole(hosts, target, { tty, size: tty ? size() : undefined });
    session.socket.on("error", () => {});
    const stdin = process.stdin;
    const onInput = (data: Buffer) => {
      if (tty && data.includes(ESCAPE)) {
        err("\r\n");
        session.socket.destroy();
        return;
      }
      session.socket.write(data);
    };
    const onResize = () => void session.resize(size().rows, size().cols).catch(() => {});
    if (tty) {
      stdin.setRawMode(true);
      process.on("SIGWINCH", onResize);
    } else stdin.once("end", () => session.socket.end());
    stdin.on("data", onInput);
    stdin.resume();
    try {
      const output = outputStream(session);
      if (tty) {
        const reader = output.getReader();
        const decoder = new TextDecoder();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          out(decoder.decode(value, { stream: true }));
        }
      } else
        await demuxStream(output, (stream, data) => (stream === "stderr" ? err : out)(new TextDecoder().decode(data)));
    } finally {
      stdin.off("data", onInput);
      process.off("SIGWINCH", onResize);
      if (tty) stdin.setRawMode(false);
      stdin.pause();
    }
    const code = await session.exitCode();
    // The shell's exit code is lab's: a script (or a user's $?) sees what the node said.
    process.exitCode = code < 0 ? 1 : code;
  },
});
