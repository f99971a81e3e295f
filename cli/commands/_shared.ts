import { availableParallelism, userInfo } from "node:os";
import type { ArgDef } from "citty";
import { LabError } from "../../core/errors.ts";
import { loadLab } from "../../core/topology/index.ts";

export const formatArgs = {
  format: {
    type: "enum",
    options: ["table", "json"],
    default: "table",
    description: "Output format",
    alias: "f",
  },
} as const satisfies Record<string, ArgDef>;

export const verboseArgs = {
  verbose: { type: "boolean", description: "Show debug logs and stack traces", alias: "v" },
} as const satisfies Record<string, ArgDef>;

export const topoArgs = {
  topo: {
    type: "string",
    alias: "t",
    description: "Topology file (*.clab.yml, *.clab.gotmpl), - for stdin; default: the one in this directory",
  },
  vars: {
    type: "string",
    description: "Variables for a templated topology (YAML or JSON); default: <topology>_vars.yaml beside it",
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

async function readStdin(): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Uint8Array);
  return Buffer.concat(chunks).toString("utf8");
}

function owner(): string {
  try {
    return process.env.SUDO_USER ?? process.env.USER ?? userInfo().username;
  } catch {
    return "";
  }
}

/** Loads the topology named by -t (or found in cwd) with the process environment. */
export function loadTopology(
  topo: string | undefined,
  options: { vars?: string; publishLimits?: { tcp: number; http: number } } = {},
) {
  return loadLab({
    file: topo,
    varsFile: options.vars,
    cwd: process.cwd(),
    env: process.env,
    readStdin,
    owner: owner(),
    publishLimits: options.publishLimits,
  });
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
