import type { FetchFn, Platform } from "../../runtime/platform/index.ts";
import { LabError } from "../errors.ts";
import { sleep } from "../sleep.ts";
import { basicHeader, type Challenge, parseChallenge, TokenCache } from "./auth.ts";
import type { Credentials } from "./credentials.ts";
import { registryError } from "./errors.ts";

export interface RegistryClientOptions {
  /** host[:port] */
  registry: string;
  credentials?: Credentials;
  /** Plain HTTP or unverified TLS. */
  insecure?: boolean;
  /** PEM of a private CA. */
  ca?: string;
  platform: Platform;
  retry?: { attempts: number; baseMs: number };
}

export interface RegistryRequest {
  scopes?: string[];
  headers?: Record<string, string>;
  /** Replayable bodies are resent on retries and auth round trips; a stream goes once (retry: false). */
  body?: Uint8Array | string | ReadableStream<Uint8Array>;
  /** Statuses that count as success; everything else throws. */
  accept: number[];
  what: string;
  signal?: AbortSignal;
  /** false: one attempt; the caller recovers (upload chunks resume from the committed offset). */
  retry?: boolean;
  /** Harbor's REST API (/api/v2.0) takes the account's basic credentials, not registry tokens. */
  basic?: boolean;
}

const RETRYABLE = new Set([408, 429, 500, 502, 503, 504]);

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (!Number.isNaN(seconds)) return Math.min(30_000, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.min(30_000, Math.max(0, date - Date.now()));
}

/**
 * An OCI distribution client for one registry: picks https (or http with --insecure), answers the
 * WWW-Authenticate challenge with Basic or a Bearer token per scope, and retries connection
 * errors, 5xx and 429 with backoff (honouring Retry-After).
 */
export class RegistryClient {
  readonly registry: string;
  base = "";
  private challenge?: Challenge;
  private readonly fetchFn: FetchFn;
  private readonly tokens: TokenCache;
  private readonly retry: { attempts: number; baseMs: number };
  private connecting?: Promise<void>;

  constructor(private readonly options: RegistryClientOptions) {
    this.registry = options.registry;
    try {
      this.fetchFn = options.platform.tlsFetch({ insecure: options.insecure, ca: options.ca });
    } catch (error) {
      throw new LabError("usage", (error as Error).message);
    }
    this.tokens = new TokenCache(this.fetchFn as typeof fetch, options.credentials, options.registry);
    this.retry = options.retry ?? { attempts: 5, baseMs: 250 };
  }

  /** Finds the scheme and the auth challenge with `GET /v2/`. */
  connect(): Promise<void> {
    this.connecting ??= this.doConnect().catch((error) => {
      this.connecting = undefined;
      throw error;
    });
    return this.connecting;
  }

  private async probe(base: string, fetchFn: FetchFn): Promise<Response | Error> {
    try {
      return await fetchFn(`${base}/v2/`, { signal: AbortSignal.timeout(15_000) });
    } catch (error) {
      return error as Error;
    }
  }

  private async doConnect(): Promise<void> {
    const https = await this.probe(`https://${this.registry}`, this.fetchFn);
    let response: Response;
    if (https instanceof Response) {
      this.base = `https://${this.registry}`;
      response = https;
    } else {
      const http = await this.probe(`http://${this.registry}`, fetch);
      if (!(http instanceof Response)) {
        throw new LabError("remote", `cannot reach registry ${this.registry}: ${https.message}`, {
          hint: "Check the address and that the registry is running",
        });
      }
      if (!this.options.insecure) {
        await http.body?.cancel();
        throw new LabError("input", `registry ${this.registry} speaks plain HTTP, not HTTPS`, {
          hint: "Pass --insecure to use a registry without TLS",
        });
      }
      this.base = `http://${this.registry}`;
      response = http;
    }
    await response.body?.cancel();
    if (response.status === 401) this.challenge = parseChallenge(response.headers.get("www-authenticate"));
    else if (!response.ok && response.status !== 404) {
      throw new LabError(
        "remote",
        `${this.registry} is not a container registry (GET /v2/ answered HTTP ${response.status})`,
      );
    }
  }

  private async authorization(scopes: string[]): Promise<string | undefined> {
    const creds = this.options.credentials;
    if (!this.challenge) return undefined;
    if (this.challenge.scheme === "basic") return creds ? basicHeader(creds) : undefined;
    return `Bearer ${await this.tokens.token(this.challenge, scopes)}`;
  }

  url(pathOrUrl: string): string {
    return new URL(pathOrUrl, `${this.base}/`).toString();
  }

  async request(method: string, pathOrUrl: string, req: RegistryRequest): Promise<Response> {
    await this.connect();
    const url = this.url(pathOrUrl);
    let authRetried = false;
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { ...req.headers };
      const creds = this.options.credentials;
      const auth = req.basic ? creds && basicHeader(creds) : await this.authorization(req.scopes ?? []);
      if (auth) headers.authorization = auth;
      let response: Response;
      try {
        response = await this.fetchFn(url, {
          method,
          headers,
          body: req.body as BodyInit | undefined,
          signal: req.signal,
          redirect: "follow",
        });
      } catch (error) {
        if (req.signal?.aborted) throw new LabError("interrupted", `${req.what}: interrupted`);
        if (req.retry !== false && attempt + 1 < this.retry.attempts) {
          await sleep(Math.min(4000, this.retry.baseMs * 2 ** attempt));
          continue;
        }
        throw new LabError("remote", `${req.what}: cannot reach ${this.registry}: ${(error as Error).message}`, {
          hint: "The registry went away; retried with backoff",
        });
      }
      if (response.status === 401 && !authRetried && !(req.body instanceof ReadableStream)) {
        // A new or wider challenge (insufficient_scope): take it and ask again once.
        const challenge = parseChallenge(response.headers.get("www-authenticate"));
        if (challenge) this.challenge = challenge;
        authRetried = true;
        if (this.challenge) {
          await response.body?.cancel();
          continue;
        }
      }
      if (req.retry !== false && RETRYABLE.has(response.status) && attempt + 1 < this.retry.attempts) {
        await response.body?.cancel();
        await sleep(
          retryAfterMs(response.headers.get("retry-after")) ?? Math.min(4000, this.retry.baseMs * 2 ** attempt),
        );
        continue;
      }
      if (req.accept.includes(response.status)) return response;
      if (response.status === 401 && this.challenge?.scheme === "basic") {
        await response.body?.cancel();
        const user = this.options.credentials?.username;
        throw new LabError(
          "auth",
          user ? `${this.registry} rejected the credentials for ${user}` : `${this.registry} needs credentials`,
          {
            hint: `Check --creds, or run lab images login ${this.registry}`,
          },
        );
      }
      throw registryError(response.status, method === "HEAD" ? "" : await response.text(), req.what, this.registry);
    }
  }
}
