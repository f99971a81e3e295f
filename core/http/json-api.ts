import { createFetch } from "ofetch";
import type { FetchFn } from "../../runtime/platform/types.ts";
import { LabError } from "../errors.ts";
import { sleep } from "../sleep.ts";

// The one client for the JSON APIs lab speaks to (Border0, mysocket, Harbor's REST API): a base
// URL, auth headers, JSON both ways, a timeout, and one retry loop as Border0's Go SDK retries
// (client/api_client.go): 429 up to 10 times honouring Retry-After, 5xx 4 times with exponential
// backoff, and, where a service asks for it, 404 three times (cross-region replication lag). Errors
// come back as a LabError in one line with the service's own words.

export interface RetryRule {
  max: number;
  minMs: number;
  maxMs: number;
}

/** Border0's SDK: notFound 3 × 0.5–1 s, tooManyRequests 10 × 1–5 s, 5xx 4 × 1–30 s. */
export const SDK_RETRIES = {
  notFound: { max: 3, minMs: 500, maxMs: 1000 },
  tooMany: { max: 10, minMs: 1000, maxMs: 5000 },
  server: { max: 4, minMs: 1000, maxMs: 30_000 },
} satisfies Record<string, RetryRule>;

export interface JsonApiOptions {
  /** For messages: "the Border0 API", "the mysocket API". */
  service: string;
  baseURL: string;
  /** Headers that authenticate a call (none: an anonymous call). */
  auth?: (token: string) => Record<string, string>;
  token?: string;
  headers?: Record<string, string>;
  fetch?: FetchFn;
  timeoutMs?: number;
  retries?: Partial<typeof SDK_RETRIES>;
  /** Hint for an unreachable service ("Check the network, or BORDER0_API"). */
  unreachableHint?: string;
  /** How a 401 reads, with and without a token sent. */
  unauthorized?: (authenticated: boolean) => LabError;
  sleep?: (ms: number) => Promise<void>;
}

export interface CallOptions {
  body?: unknown;
  /** A token for this call only (Border0's device poll uses the device token). */
  token?: string | null;
  /** 404 is an answer here (a lookup that may find nothing): returned, not retried or thrown. */
  notFoundOk?: boolean;
  /** Retry a 404 as the SDK does (replication lag) before it is an error. */
  retryNotFound?: boolean;
}

export interface CallResult<T> {
  status: number;
  data: T;
}

/** The service's own words from an error body: Border0's error_message, else message, else text. */
export function serviceMessage(data: unknown): string {
  if (data && typeof data === "object") {
    const d = data as { error_message?: unknown; message?: unknown; errors?: { message?: unknown }[] };
    const text = d.error_message ?? d.message ?? d.errors?.[0]?.message;
    if (typeof text === "string") return text;
  }
  return typeof data === "string" ? data.trim().slice(0, 200) : "";
}

/** Exponential backoff between bounds, as the SDK's ExponentialBackoff. */
export const backoffMs = (rule: RetryRule, attempt: number) => Math.min(rule.maxMs, rule.minMs * 2 ** attempt);

/** Retry-After in seconds (what every API here sends), as ms; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value.trim());
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

export class JsonApi {
  private readonly fetcher: ReturnType<typeof createFetch>;
  private token: string | undefined;

  constructor(private readonly o: JsonApiOptions) {
    this.fetcher = createFetch({ fetch: (o.fetch ?? fetch) as typeof fetch, Headers, AbortController });
    this.token = o.token;
  }

  get base(): string {
    return this.o.baseURL;
  }

  setToken(token: string): void {
    this.token = token;
  }

  async call<T>(method: string, path: string, options: CallOptions = {}): Promise<CallResult<T>> {
    const retries = { ...SDK_RETRIES, ...this.o.retries };
    const token = options.token === null ? undefined : (options.token ?? this.token);
    const wait = this.o.sleep ?? sleep;
    for (let attempt = 0; ; attempt++) {
      let response: Response & { _data?: unknown };
      try {
        response = await this.fetcher.raw(path, {
          baseURL: this.o.baseURL.replace(/\/+$/, ""),
          method: method as "GET",
          body: options.body as Record<string, unknown> | undefined,
          headers: {
            accept: "application/json",
            ...this.o.headers,
            ...(token && this.o.auth ? this.o.auth(token) : {}),
          },
          timeout: this.o.timeoutMs ?? 30_000,
          retry: 0,
          ignoreResponseError: true,
          responseType: "text",
        });
      } catch (error) {
        throw new LabError(
          "remote",
          `cannot reach ${this.o.service} at ${this.o.baseURL}: ${(error as Error).message}`,
          {
            hint: this.o.unreachableHint,
          },
        );
      }
      const text = (response._data as string | undefined) ?? "";
      let data: unknown = text;
      try {
        data = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: kept as text for the message
      }
      const { status } = response;
      const rule =
        status === 429
          ? retries.tooMany
          : status >= 500
            ? retries.server
            : status === 404 && options.retryNotFound && !options.notFoundOk
              ? retries.notFound
              : undefined;
      if (rule && attempt < rule.max) {
        const after = status === 429 ? retryAfterMs(response.headers.get("retry-after")) : undefined;
        await wait(after !== undefined ? Math.max(rule.minMs, after) : backoffMs(rule, attempt));
        continue;
      }
      if (status === 401 && this.o.unauthorized) throw this.o.unauthorized(!!token);
      if (status === 404 && options.notFoundOk) return { status, data: undefined as T };
      if (status < 200 || status >= 300) {
        const said = serviceMessage(data);
        throw new LabError(
          status === 401 || status === 403 ? "auth" : status === 404 ? "not-found" : "remote",
          `${this.o.service}: ${method} ${path} failed: ${said || `HTTP ${status}`}${said ? ` (HTTP ${status})` : ""}`,
        );
      }
      return { status, data: data as T };
    }
  }
}
