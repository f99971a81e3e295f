import { spawn } from "node:child_process";
import { closeSync, openSync, writeSync } from "node:fs";
import { defineCommand } from "citty";
import { capture, captureTargets } from "../../core/capture/capture.ts";
import { LabError } from "../../core/errors.ts";
import { cliHosts } from "../context.ts";
import { logger } from "../logger.ts";
import { globalArgs, hostArgs, interruptSignal, labOf, repeated, topoArgs } from "./_shared.ts";

// lab capture NODE:IFACE[,NODE:IFACE…]: pcapng to stdout (wireshark -k -i -), a file, a ring of
// files, or a local Wireshark. Ctrl-C, -c or --duration end it with a valid file.

/** Where the blocks go: one file, a ring of `files` files of `megabytes` each (tcpdump's -C/-W), or a pipe. */
export function sink(o: { file?: string; megabytes?: number; files?: number }) {
  const headers: Uint8Array[] = [];
  const name = (i: number) => `${o.file}${i}`;
  // A ring starts at FILE0; else the file itself, or stdout.
  let fd = o.file ? openSync(o.megabytes ? name(0) : o.file, "w", 0o600) : 1;
  let size = 0;
  let index = 0;
  const put = (b: Uint8Array) => {
    let at = 0;
    while (at < b.length) at += writeSync(fd, b, at);
    size += b.length;
  };
  return {
    write(block: Uint8Array, kind: "header" | "packet") {
      if (kind === "header") headers.push(block);
      else if (o.file && o.megabytes && size + block.length > o.megabytes * 1_000_000) {
        // The next file of the ring, with the section and interface blocks again: each file stands alone.
        closeSync(fd);
        index = o.files ? (index + 1) % o.files : index + 1;
        fd = openSync(name(index), "w", 0o600);
        size = 0;
        for (const h of headers) put(h);
      }
      put(block);
    },
    close() {
      if (fd !== 1) closeSync(fd);
    },
  };
}

export default defineCommand({
  meta: {
    name: "capture",
    description: "Packets of node interfaces as pcapng: to stdout, -w FILE, or --wireshark (Ctrl-C ends it)",
  },
  args: {
    interfaces: { type: "positional", required: true, description: "NODE:IFACE[,NODE:IFACE…]" },
    ...topoArgs,
    name: { type: "string", description: "Lab name (instead of -t)" },
    ...hostArgs,
    write: { type: "string", alias: "w", description: "Write to this file (a ring of them with -C and -W)" },
    filter: { type: "string", alias: "f", description: "BPF filter, as tcpdump takes it" },
    count: { type: "string", alias: "c", description: "Stop after this many packets" },
    duration: { type: "string", description: "Stop after this many seconds" },
    "file-size": {
      type: "string",
      alias: "C",
      description: "With -w: a new file every this many MB (FILE0, FILE1, …)",
    },
    files: { type: "string", alias: "W", description: "With -C: a ring of this many files" },
    wireshark: { type: "boolean", description: "Into a local Wireshark (wireshark -k -i -)" },
    ...globalArgs,
  },
  async run({ args, rawArgs }) {
    // Every positional word (citty keeps them in _), comma-separated lists too.
    const words = ((args as { _?: string[] })._ ?? [String(args.interfaces)]).map(String);
    const specs = words.flatMap((s) => s.split(",")).filter(Boolean);
    const number = (v: string | undefined, flag: string) => {
      if (v === undefined) return undefined;
      const n = Number(v);
      if (!Number.isFinite(n) || n <= 0) throw new LabError("usage", `${flag} ${v} is not a positive number`);
      return n;
    };
    const count = number(args.count, "-c");
    const duration = number(args.duration, "--duration");
    const megabytes = number(args["file-size"], "-C");
    const files = number(args.files, "-W");
    if ((megabytes || files) && !args.write)
      throw new LabError("usage", "-C and -W write files", { hint: "Add -w FILE" });
    if (!args.write && !args.wireshark && process.stdout.isTTY)
      throw new LabError("usage", "pcapng is binary: not onto a terminal", {
        hint: "Pipe it (lab capture r1:eth1 | wireshark -k -i -), or -w FILE, or --wireshark",
      });
    const { name, lab } = await labOf(args, rawArgs, "lab capture");
    const { hosts } = await cliHosts({ lab, name, flags: repeated(rawArgs, "host") });
    const targets = await captureTargets(hosts, { name, model: lab }, [...new Set(specs)]);
    let viewer: ReturnType<typeof spawn> | undefined;
    if (args.wireshark) {
      viewer = spawn("wireshark", ["-k", "-i", "-"], { stdio: ["pipe", "ignore", "ignore"] });
      viewer.on("error", () => logger.warn("cannot start wireshark: is it installed here?"));
    }
    const out = viewer
      ? { write: (b: Uint8Array) => viewer?.stdin?.write(b), close: () => viewer?.stdin?.end() }
      : sink({ file: args.write, megabytes, files });
    const signal = interruptSignal(() => {});
    try {
      const packets = await capture(hosts, targets, {
        filter: args.filter,
        count,
        durationMs: duration ? duration * 1000 : undefined,
        signal,
        write: (b, kind) => out.write(b, kind),
        onListening: () => logger.info(`capturing on ${targets.map((t) => t.label).join(", ")} (Ctrl-C stops)`),
      });
      logger.success(`${packets} packet${packets === 1 ? "" : "s"} captured${args.write ? ` in ${args.write}` : ""}`);
    } finally {
      out.close();
    }
  },
});
