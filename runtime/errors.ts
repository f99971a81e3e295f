/**
 * The one error type every layer throws. It lives at the bottom of the dependency graph
 * (runtime/) so that runtime, core and cli can all raise it; `core/errors.ts` re-exports it.
 * The CLI boundary prints `message` (plus `hint`) on one line and exits with `exitCodes[code]`.
 */
export type ErrorCode =
  | "usage" // bad flags or arguments
  | "input" // a topology, reference or file that is wrong
  | "engine" // the Docker Engine cannot be reached or refused the call
  | "not-found" // a named thing (image, container, lab) does not exist
  | "conflict" // something already exists or is in use
  | "remote" // a registry or API answered with an error
  | "auth" // credentials missing, wrong or expired
  | "forbidden" // the credentials are right, but this account may not do that
  | "unsupported" // this host lacks what the operation needs (a kernel module)
  | "interrupted" // Ctrl-C
  | "internal";

/** Exit codes are part of the CLI contract: scripts branch on them. */
export const exitCodes: Record<ErrorCode, number> = {
  internal: 1,
  usage: 2,
  input: 3,
  engine: 4,
  "not-found": 5,
  conflict: 6,
  remote: 7,
  auth: 8,
  unsupported: 9,
  forbidden: 10,
  // 128 + SIGINT, as shells report an interrupted command.
  interrupted: 130,
};

export interface LabErrorOptions {
  hint?: string;
  cause?: unknown;
}

export class LabError extends Error {
  override name = "LabError";
  readonly code: ErrorCode;
  readonly hint?: string;

  constructor(code: ErrorCode, message: string, options: LabErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
  }

  get exitCode(): number {
    return exitCodes[this.code];
  }

  /** The single line the user sees. */
  toLine(): string {
    if (!this.hint) return this.message;
    const sep = /[.!?]$/.test(this.message) ? " " : ". ";
    return `${this.message}${sep}${this.hint}`;
  }
}

export function isLabError(error: unknown): error is LabError {
  return error instanceof LabError;
}
