import type { ArgDef } from "citty";
import type { SessionOptions } from "../../../core/registry/session.ts";
import { logger } from "../../logger.ts";
import { readStdinText } from "../_shared.ts";

export const registryArgs = {
  creds: {
    type: "string",
    description:
      "user for the registry, its password from --password-stdin or LAB_PASSWORD (user:password works, with a warning)",
  },
  "password-stdin": { type: "boolean", description: "Read the password from stdin" },
  insecure: { type: "boolean", description: "Allow plain HTTP or unverified TLS" },
  "ca-file": { type: "string", description: "Trust this CA (PEM) for the registry's TLS" },
} as const satisfies Record<string, ArgDef>;

/** The env variable that holds a side's password: LAB_PASSWORD, LAB_SRC_PASSWORD, LAB_DEST_PASSWORD. */
const PASSWORD_ENV = { "": "LAB_PASSWORD", src: "LAB_SRC_PASSWORD", dest: "LAB_DEST_PASSWORD" } as const;

/**
 * A side's credentials: `--<side>-creds user` with the password from `--<side>-password-stdin` (with
 * both sides on stdin: the source's on the first line, the destination's on the second) or its
 * LAB_*PASSWORD variable. A password written in argv still works, with docker login's warning:
 * other users of the host see a process's arguments.
 */
async function credsFor(
  args: Record<string, unknown>,
  side: "" | "src" | "dest",
): Promise<Pick<SessionOptions, "creds" | "password">> {
  const flag = side ? `${side}-` : "";
  const creds = (args[`${flag}creds`] ?? args.creds) as string | undefined;
  if (creds?.includes(":"))
    logger.warn(
      `WARNING! A password in --${flag}creds is visible to other users of this host. Use --${flag}password-stdin or ${PASSWORD_ENV[side]}.`,
    );
  let password: string | undefined;
  if (args[`${flag}password-stdin`] || (side && args["password-stdin"])) {
    const lines = (await readStdinText()).split(/\r?\n/);
    const both = !!args["src-password-stdin"] && !!args["dest-password-stdin"];
    password = lines[both && side === "dest" ? 1 : 0];
  } else password = process.env[PASSWORD_ENV[side]] ?? (side ? process.env.LAB_PASSWORD : undefined);
  return { creds, password };
}

export async function sessionOptions(args: {
  creds?: string;
  "password-stdin"?: boolean;
  insecure?: boolean;
  "ca-file"?: string;
}): Promise<SessionOptions> {
  return { ...(await credsFor(args, "")), insecure: args.insecure, caFile: args["ca-file"] };
}

/** Per-side registry flags for commands that read one registry and write another (skopeo's names). */
export const copyArgs = {
  creds: { type: "string", description: "user for both registries (unless --src-creds/--dest-creds)" },
  "password-stdin": { type: "boolean", description: "Read the password of --creds from stdin" },
  "src-creds": {
    type: "string",
    description: "user for the source registry, its password from --src-password-stdin or LAB_SRC_PASSWORD",
  },
  "src-password-stdin": { type: "boolean", description: "Read the source's password from stdin (first line)" },
  "dest-creds": {
    type: "string",
    description: "user for the destination registry, its password from --dest-password-stdin or LAB_DEST_PASSWORD",
  },
  "dest-password-stdin": {
    type: "boolean",
    description: "Read the destination's password from stdin (second line when the source's is there too)",
  },
  "src-insecure": { type: "boolean", description: "Source registry over plain HTTP or unverified TLS" },
  "dest-insecure": { type: "boolean", description: "Destination registry over plain HTTP or unverified TLS" },
  insecure: { type: "boolean", description: "Both registries over plain HTTP or unverified TLS" },
  "src-ca-file": { type: "string", description: "Trust this CA (PEM) for the source registry" },
  "dest-ca-file": { type: "string", description: "Trust this CA (PEM) for the destination registry" },
  all: { type: "boolean", description: "Copy a multi-arch image whole (every platform), keeping its digest" },
  platform: { type: "string", description: "os/arch[/variant] picked from a multi-arch image (default: this host's)" },
} as const satisfies Record<string, ArgDef>;

export async function copySessionOptions(args: Record<string, unknown>, side: "src" | "dest"): Promise<SessionOptions> {
  return {
    ...(await credsFor(args, side)),
    insecure: !!(args[`${side}-insecure`] || args.insecure),
    caFile: args[`${side}-ca-file`] as string | undefined,
  };
}
