import { availableParallelism, userInfo } from "node:os";
import type { ArgDef } from "citty";
import { LabError } from "../../core/errors.ts";
import type { LabModel } from "../../core/topology/index.ts";
import { hasTopologyFile } from "../../core/topology/topology-file.ts";
import { parseDuration } from "../../core/topology/units.ts";
import { getPlatform } from "../../runtime/platform/index.ts";
import { logger } from "../logger.ts";

export const formatArgs = {
  format: {
    type: "enum",
    options: ["table", "json"],
    default: "table",
    description: "Output format",
    alias: "f",
  },
} as const satisfies Record<string, ArgDef>;

/** Flags every command takes; run.ts handles them before citty sees the rest (see flags.ts). */
export const globalArgs = {
  verbose: { type: "boolean", description: "Show debug logs and stack traces", alias: "v" },
  runtime: {
    type: "enum",
    options: ["docker", "podman"],
    alias: "r",
    description: "Container engine (default: Docker, or Podman when only its socket answers; LAB_RUNTIME)",
  },
} as const satisfies Record<string, ArgDef>;

/** Other hosts of a lab over several machines (nodes go there with the label lab.host: NAME). */
export const hostArgs = {
  host: {
    type: "string",
    description:
      "Another host of the lab: NAME=ssh://user@address (repeatable; also lab-hosts.yml beside the topology)",
  },
} as const satisfies Record<string, ArgDef>;

export const topoArgs = {
  topo: {
    type: "string",
    alias: "t",
    description: "Topology file (*.clab.yml, *.clab.gotmpl), - for stdin; default: the one in this directory",
  },
  vars: {
    type: "string",
    description:
      "Variables for a templated topology (YAML or JSON; repeatable, merged in order); default: <topology>_vars.* beside it",
  },
  "accept-new-host-key": {
    type: "boolean",
    description:
      "Record the SSH host key of a host the topology's scp:// or sftp:// files come from when it is unknown",
  },
} as const satisfies Record<string, ArgDef>;

export const renderArgs = {
  "export-rendered": {
    type: "string",
    description: "Write the topology as rendered (templates and environment applied) to this file",
  },
} as const satisfies Record<string, ArgDef>;

export const selectArgs = {
  ...topoArgs,
  name: { type: "string", description: "Lab name (works without the topology file)" },
  all: { type: "boolean", alias: "a", description: "Every lab on this engine" },
} as const satisfies Record<string, ArgDef>;

export const nodeFilterArgs = {
  "node-filter": { type: "string", description: "Only these nodes, comma-separated (the rest of the lab stays)" },
} as const satisfies Record<string, ArgDef>;

/** `--node-filter a,b` as a list, or undefined when not given. */
export function nodeFilter(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const nodes = [
    ...new Set(
      value
        .split(",")
        .map((n) => n.trim())
        .filter(Boolean),
    ),
  ];
  if (!nodes.length) throw new LabError("usage", "--node-filter names no node", { hint: "e.g. --node-filter r1,r2" });
  return nodes;
}

export const workerArgs = {
  "max-workers": { type: "string", description: "Containers created in parallel (default: 2 × CPU cores)" },
} as const satisfies Record<string, ArgDef>;

export function maxWorkers(value: string | undefined): number {
  const n = value === undefined ? availableParallelism() * 2 : Number(value);
  return Number.isInteger(n) && n > 0 ? n : availableParallelism() * 2;
}

let stdinText: Promise<string> | undefined;
/** stdin as text, read once (a topology on -t -, a password, both passwords of a copy). */
export function readStdinText(): Promise<string> {
  stdinText ??= (async () => {
    const chunks: Uint8Array[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Uint8Array);
    return Buffer.concat(chunks).toString("utf8");
  })();
  return stdinText;
}

export function owner(): string {
  try {
    return process.env.SUDO_USER ?? process.env.USER ?? userInfo().username;
  } catch {
    return "";
  }
}

/** Every value of a repeatable flag (`--vars a --vars b`, `--vars=a`), in order; citty keeps only the last. */
export function repeated(rawArgs: string[], name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < rawArgs.length; i++) {
    const a = rawArgs[i] as string;
    if (a === `--${name}` && i + 1 < rawArgs.length) out.push(rawArgs[++i] as string);
    else if (a.startsWith(`--${name}=`)) out.push(a.slice(name.length + 3));
  }
  return out;
}

/** Asks which topology to use when several are in the directory and there is a terminal to ask on. */
async function chooseTopology(files: string[]): Promise<string> {
  const { promptLine } = await import("../render/prompt.ts");
  process.stderr.write(`More than one topology file here:\n${files.map((f, i) => `  ${i + 1}) ${f}`).join("\n")}\n`);
  for (let tries = 0; tries < 3; tries++) {
    const answer = (await promptLine(`Which one [1-${files.length}]? `)).trim();
    const n = Number(answer);
    if (Number.isInteger(n) && n >= 1 && n <= files.length) return files[n - 1] as string;
    if (files.includes(answer)) return answer;
  }
  throw new LabError("usage", "no topology file picked", { hint: "Pass one with -t FILE" });
}

export interface TopologyOptions {
  /** `--vars` values (repeatable). */
  vars?: string[];
  /** --accept-new-host-key: record an unknown host key of an scp:// source instead of refusing it. */
  acceptNewHostKey?: boolean;
  publishLimits?: { tcp: number; http: number };
  /** Print the topology's warnings (keys lab does not act on, addresses across subnets). */
  warn?: boolean;
  exportRendered?: string;
  /** deploy --owner: the clab-owner label instead of the user running lab. */
  owner?: string;
  /** deploy --network / --ipv4-subnet / --ipv6-subnet. */
  mgmt?: { network?: string; ipv4Subnet?: string; ipv6Subnet?: string };
}

/** The topology options every command with -t takes: --vars (repeatable) and --accept-new-host-key. */
export const topoOptions = (args: { "accept-new-host-key"?: boolean }, rawArgs: string[]): TopologyOptions => ({
  vars: repeated(rawArgs, "vars"),
  acceptNewHostKey: !!args["accept-new-host-key"],
});

/** Loads the topology named by -t (or found in cwd) with the process environment. */
export async function loadTopology(topo: string | undefined, options: TopologyOptions = {}) {
  // The parser, templates and schema load only for commands that read a topology (lab inspect
  // --all, lab events, lab down --name do not).
  const [{ loadLab }, { formatDiagnostic }] = await Promise.all([
    import("../../core/topology/index.ts"),
    import("../../core/topology/diagnostics.ts"),
  ]);
  const platform = await getPlatform();
  const interactive = !!process.stdin.isTTY && !!process.stderr.isTTY;
  const lab = await loadLab({
    file: topo,
    varsFiles: options.vars,
    cwd: process.cwd(),
    env: process.env,
    readStdin: readStdinText,
    owner: options.owner || owner(),
    mgmt: options.mgmt,
    publishLimits: options.publishLimits,
    exportRendered: options.exportRendered,
    choose: interactive ? chooseTopology : undefined,
    fetch: {
      fetch: (url, init) => fetch(url, init),
      env: process.env,
      warn: (m) => logger.warn(m),
      hostKeys: options.acceptNewHostKey ? "accept-new" : "strict",
    },
    git: async (args, cwd) => {
      const r = await platform.run(["git", ...args], { cwd });
      const text = (b: Uint8Array) => new TextDecoder().decode(b);
      return { code: r.code, stdout: text(r.stdout), stderr: text(r.stderr) };
    },
  });
  if (options.warn) for (const w of lab.warnings) logger.warn(formatDiagnostic(w));
  return lab;
}

/**
 * The lab a command acts on: --name, else the one the topology (-t, or the one in this directory)
 * names. `what` completes the error when there is neither.
 */
export async function labOf(
  args: { name?: string; topo?: string; "accept-new-host-key"?: boolean },
  rawArgs: string[],
  what: string,
): Promise<{ name: string; labDir?: string; lab?: LabModel }> {
  if (args.name) return { name: args.name };
  if (!args.topo) await needTopologyHere(what, "Use -t FILE or --name LAB");
  const lab = await loadTopology(args.topo, topoOptions(args, rawArgs));
  return { name: lab.name, labDir: lab.labDir, lab };
}

/** Containerlab's error when no -t is given and no topology file is here (cmd/root.go, as it prints it). */
export async function needTopologyHere(what: string, how: string): Promise<void> {
  if (await hasTopologyFile(process.cwd())) return;
  throw new LabError("usage", "No topology files matching the pattern *.clab.yml or *.clab.yaml found.", {
    hint: `${what} needs a lab: ${how}`,
  });
}

/** `-n a,b -n c` as a list (repeatable and comma-separated, as Containerlab takes --node). */
export function nodesOf(rawArgs: string[], value: string | undefined): string[] {
  const raw = [...repeated(rawArgs, "node"), ...rawArgs.flatMap((a, i) => (a === "-n" ? [rawArgs[i + 1] ?? ""] : []))];
  const list = (raw.length ? raw : value ? [value] : []).flatMap((v) => v.split(","));
  return [...new Set(list.map((n) => n.trim()).filter(Boolean))];
}

/** Aborts on the first Ctrl-C (so the command can roll back); a second one exits at once. */
export function interruptSignal(onFirst: () => void): AbortSignal {
  const controller = new AbortController();
  let count = 0;
  const handler = () => {
    count++;
    if (count === 1) {
      onFirst();
      controller.abort();
    } else {
      process.exit(130);
    }
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return controller.signal;
}

/** A number of seconds given as 30 or a Go duration (30s, 2m); anything else is a usage error. */
export function seconds(value: string | undefined, flag: string, fallback = 10): number {
  if (value === undefined) return fallback;
  const ms = parseDuration(value);
  if (ms === undefined)
    throw new LabError("usage", `${flag} ${value} is not a number of seconds`, {
      hint: `e.g. ${flag} 30 or ${flag} 2m`,
    });
  return Math.ceil(ms / 1000);
}
