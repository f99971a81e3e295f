import { LabError } from "../errors.ts";
import type { Platform } from "../platform/types.ts";
import type { EngineHost } from "./host.ts";

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** Older engines repeat themselves ("No such image: x: No such image: x"); say it once. */
function dedupe(text: string): string {
  const parts = text.split(": ");
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const rest = parts.slice(i).join(": ").toLowerCase();
    const said = out.join(": ").toLowerCase();
    if (out.length && rest === said) break;
    out.push(parts[i] as string);
  }
  return out.join(": ");
}

/** The engine's error body is `{"message": "..."}`; anything else is shown as text. */
export function engineMessage(body: unknown): string | undefined {
  if (body && typeof body === "object" && "message" in body) {
    const message = (body as { message: unknown }).message;
    if (typeof message === "string" && message.trim()) return message.trim();
  }
  if (typeof body === "string" && body.trim()) return body.trim();
  return undefined;
}

/** Maps an engine HTTP error to a one-line LabError. `what` names the call for context. */
export function engineHttpError(status: number, body: unknown, what: string, label = "the Docker Engine"): LabError {
  const message = engineMessage(body);
  const text = message ? lowerFirst(dedupe(message)) : `${what} failed with HTTP ${status}`;
  if (status === 404) return new LabError("not-found", text);
  if (status === 409) return new LabError("conflict", text);
  if (status === 400) return new LabError("input", text);
  if (status === 401 || status === 403) return new LabError("auth", text);
  return new LabError("engine", `${label} refused ${what}: ${text}`);
}

function causeText(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return `${typeof code === "string" ? `${code} ` : ""}${cause.message}`;
  }
  return String(cause);
}

/**
 * Turns a failed connection into a sentence the user can act on. The runtimes word socket errors
 * differently, so for unix sockets we look at the socket file itself rather than parse messages.
 */
export async function engineUnreachable(
  host: EngineHost,
  platform: Pick<Platform, "stat">,
  cause: unknown,
): Promise<LabError> {
  const prefix = `cannot reach ${host.label} at ${host.display}`;
  const DOCKER_HOST_HINT = host.hint;
  const text = causeText(cause);
  if (host.kind === "tcp") {
    const reason = /refused/i.test(text) ? "connection refused" : text;
    return new LabError("engine", `${prefix}: ${reason}`, { hint: DOCKER_HOST_HINT, cause });
  }
  const stat = await platform.stat(host.socketPath).catch(() => null);
  if (!stat) {
    return new LabError("engine", `${prefix}: no such socket`, { hint: DOCKER_HOST_HINT, cause });
  }
  if (/EACCES|permission denied|PermissionDenied/i.test(text)) {
    return new LabError("engine", `${prefix}: permission denied`, {
      hint:
        host.label === "Podman"
          ? "Run lab as root, or point CONTAINER_HOST at your user's Podman socket."
          : "Run lab as root or add your user to the docker group.",
      cause,
    });
  }
  if (stat.kind !== "socket" && stat.kind !== "symlink") {
    return new LabError("engine", `${prefix}: ${host.socketPath} is not a socket`, {
      hint: "Set DOCKER_HOST to the engine's socket.",
      cause,
    });
  }
  return new LabError("engine", `${prefix}: connection refused (a stale socket left by an engine that died?)`, {
    hint: DOCKER_HOST_HINT,
    cause,
  });
}

/** The value, or null when the engine says the thing does not exist (for the find() helpers). */
export async function orNullIfMissing<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof LabError && error.code === "not-found") return null;
    throw error;
  }
}
