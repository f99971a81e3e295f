import { createFetch } from "ofetch";
import { LabError } from "../errors.ts";
import type { FetchFn, Platform } from "../platform/types.ts";
import { engineHttpError, engineUnreachable } from "./errors.ts";
import type { EngineHost } from "./host.ts";

/** The oldest API we speak (Docker 20.10) and the newest we know; the engine's own version is used in between. */
export const MIN_API_VERSION = "1.41";
export const MAX_API_VERSION = "1.51";

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** A short description for error messages, e.g. "inspect image x". */
  what?: string;
  /** The path carries its own version (Podman's /v4.0.0/libpod/… routes). */
  unversioned?: boolean;
}

export interface EngineTransport {
  readonly host: EngineHost;
  /** The negotiated API version, e.g. "1.47". */
  apiVersion(): Promise<string>;
  /**
   * Whether Podman serves this socket (its /_ping says Libpod-Api-Version): known from the same ping,
   * so DOCKER_HOST pointing at Podman's socket gets Podman's behaviour too.
   */
  podman(): Promise<boolean>;
  json<T>(method: string, path: string, options?: RequestOptions): Promise<T>;
  /** Sends a request and returns the successful response with its body unread (for streams). */
  stream(method: string, path: string, options?: RequestOptions): Promise<Response>;
}

export function compareApiVersions(a: string, b: string): number {
  const [amaj = 0, amin = 0] = a.split(".").map(Number);
  const [bmaj = 0, bmin = 0] = b.split(".").map(Number);
  return amaj - bmaj || amin - bmin;
}

/** Picks the version to speak: the engine's, capped at ours; too old an engine is an error. */
export function negotiateApiVersion(engineVersion: string | null): string {
  if (!engineVersion) return MIN_API_VERSION;
  if (compareApiVersions(engineVersion, MIN_API_VERSION) < 0) {
    throw new LabError(
      "engine",
      `the Docker Engine speaks API ${engineVersion}, lab needs ${MIN_API_VERSION} or newer`,
      {
        hint: "Upgrade Docker to 20.10 or newer.",
      },
    );
  }
  return compareApiVersions(engineVersion, MAX_API_VERSION) > 0 ? MAX_API_VERSION : engineVersion;
}

async function readErrorBody(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => "");
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function createEngineTransport(host: EngineHost, platform: Platform): EngineTransport {
  const fetchFn: FetchFn =
    host.kind === "unix" ? platform.unixFetch(host.socketPath) : host.tls ? platform.tlsFetch(host.tls) : fetch;
  const $engine = createFetch({
    fetch: fetchFn as typeof fetch,
    defaults: { baseURL: host.baseUrl, retry: 0, ignoreResponseError: true },
  });

  let version: Promise<{ api: string; podman: boolean }> | undefined;

  async function send(method: string, path: string, options: RequestOptions, versioned: boolean) {
    const prefix = versioned ? `/v${await apiVersion()}` : "";
    const what = options.what ?? `${method} ${path}`;
    let response: Response;
    try {
      response = await $engine.raw(`${prefix}${path}`, {
        method,
        query: options.query,
        body: options.body as BodyInit | Record<string, unknown> | undefined,
        headers: options.headers,
        signal: options.signal,
        responseType: "stream",
      });
    } catch (error) {
      if (options.signal?.aborted) throw new LabError("interrupted", `${what}: interrupted`, { cause: error });
      throw await engineUnreachable(host, platform, (error as { cause?: unknown }).cause ?? error);
    }
    if (response.status >= 400) throw engineHttpError(response.status, await readErrorBody(response), what, host.label);
    return response;
  }

  function ping() {
    version ??= send("GET", "/_ping", {}, false).then(async (response) => {
      await response.body?.cancel();
      return {
        api: negotiateApiVersion(response.headers.get("api-version")),
        podman: response.headers.has("libpod-api-version"),
      };
    });
    // A failed negotiation must not be cached: the next call may find the engine up.
    version.catch(() => {
      version = undefined;
    });
    return version;
  }
  const apiVersion = async () => (await ping()).api;

  return {
    host,
    apiVersion,
    podman: async () => (await ping()).podman,
    async json<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
      const response = await send(method, path, options, !options.unversioned);
      const text = await response.text();
      return (text ? JSON.parse(text) : undefined) as T;
    },
    stream: (method, path, options = {}) => send(method, path, options, true),
  };
}
