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
