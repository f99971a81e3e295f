import type { ArgDef } from "citty";
import type { SessionOptions } from "../../../core/registry/session.ts";

export const registryArgs = {
  creds: { type: "string", description: "user:password for the registry (or user with --password-stdin)" },
  "password-stdin": { type: "boolean", description: "Read the password from stdin" },
  insecure: { type: "boolean", description: "Allow plain HTTP or unverified TLS" },
  "ca-file": { type: "string", description: "Trust this CA (PEM) for the registry's TLS" },
} as const satisfies Record<string, ArgDef>;

async function readStdin(): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Uint8Array);
  return Buffer.concat(chunks).toString("utf8");
}

export async function sessionOptions(args: {
  creds?: string;
  "password-stdin"?: boolean;
  insecure?: boolean;
  "ca-file"?: string;
}): Promise<SessionOptions> {
  const password = args["password-stdin"] ? (await readStdin()).replace(/\r?\n$/, "") : undefined;
  return { creds: args.creds, password, insecure: args.insecure, caFile: args["ca-file"] };
}

/** Per-side registry flags for commands that read one registry and write another (skopeo's names). */
export const copyArgs = {
  creds: { type: "string", description: "user:password for both registries (unless --src-creds/--dest-creds)" },
  "src-creds": { type: "string", description: "user:password for the source registry" },
  "dest-creds": { type: "string", description: "user:password for the destination registry" },
  "src-insecure": { type: "boolean", description: "Source registry over plain HTTP or unverified TLS" },
  "dest-insecure": { type: "boolean", description: "Destination registry over plain HTTP or unverified TLS" },
  insecure: { type: "boolean", description: "Both registries over plain HTTP or unverified TLS" },
  "src-ca-file": { type: "string", description: "Trust this CA (PEM) for the source registry" },
  "dest-ca-file": { type: "string", description: "Trust this CA (PEM) for the destination registry" },
  all: { type: "boolean", description: "Copy a multi-arch image whole (every platform), keeping its digest" },
  platform: { type: "string", description: "os/arch[/variant] picked from a multi-arch image (default: this host's)" },
} as const satisfies Record<string, ArgDef>;

export function copySessionOptions(args: Record<string, unknown>, side: "src" | "dest"): SessionOptions {
  return {
    creds: (args[`${side}-creds`] ?? args.creds) as string | undefined,
    insecure: !!(args[`${side}-insecure`] || args.insecure),
    caFile: args[`${side}-ca-file`] as string | undefined,
  };
}
