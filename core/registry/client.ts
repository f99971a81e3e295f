import type { FetchFn, Platform } from "../../runtime/platform/index.ts";
import { LabError } from "../errors.ts";
import { sleep } from "../sleep.ts";
import { basicHeader, type Challenge, parseChallenge, TokenCache } from "./auth.ts";
import type { Credentials } from "./credentials.ts";
import { registryError, registryErrorText } from "./errors.ts";

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

  /** The account the requests are made as ("" for anonymous): a cache of mounts is kept per account. */
  get account(): string {
    return this.options.credentials?.username ?? "";
  }

  private async authorization(scopes: string[], fresh = false): Promise<string | undefined> {
    const creds = this.options.credentials;
    if (!this.challenge) return undefined;
    if (this.challenge.scheme === "basic") return creds ? basicHeader(creds) : undefined;
    return `Bearer ${await this.tokens.token(this.challenge, scopes, Date.now(), fresh)}`;
  }

  /**
   * A 401 to a request that carried credentials. Harbor's token service hands even a wrong password a
   * token without access when scopes are asked, so the credentials are checked alone first (a token
   * with no scope, as docker login asks): refused there, they are wrong; accepted, this account may
   * not do what was asked. Harbor says which repository and action; the message keeps its words.
   */
  private async refused(
    method: string,
    req: RegistryRequest,
    body: string,
    sent: "bearer" | "basic" | "none",
  ): Promise<LabError> {
    if (sent === "bearer") {
      const wrong = await this.verifyCredentials().then(
        () => undefined,
        (error: unknown) => error,
      );
      if (wrong instanceof LabError && wrong.code === "auth") return wrong;
    }
    const said = registryErrorText(401, body).replace(/^UNAUTHORIZED:\s*/, "");
    const user = this.options.credentials?.username;
    if (sent === "none")
      return new LabError("auth", `${req.what}: ${this.registry} needs credentials (${said})`, {
        hint: `Pass --creds, or run lab images login ${this.registry}`,
      });
    if (sent === "basic" && this.challenge?.scheme === "basic")
      return new LabError("auth", `${this.registry} rejected the credentials for ${user ?? "(none)"}`, {
        hint: `Check --creds, or run lab images login ${this.registry}`,
      });
    // What was asked of which repository: the scope says it (a HEAD before a push asks push).
    const scope = (req.scopes ?? []).find((s) => s.startsWith("repository:"))?.split(":");
    const asked = scope?.[2]?.split(",") ?? [];
    const action = asked.includes("push")
      ? "push to"
      : asked.includes("delete") || method === "DELETE"
        ? "delete from"
        : "pull from";
    const target = scope?.[1] ? `${action} ${scope[1]}` : req.what;
    return new LabError(
      "forbidden",
      `${user || "this account"} may not ${target}${body ? `: ${said}` : ` (${req.what}: HTTP 401)`}`,
      { hint: "The credentials are right; the account lacks that permission (its project or its robot's rights)" },
    );
  }

  /**
   * Checks the credentials with the registry itself (its token service, or Basic at /v2/), so that an
   * API that treats a wrong password as anonymous (Harbor's REST API lists public projects then)
   * never makes wrong credentials look like an empty registry.
   */
  async verifyCredentials(): Promise<void> {
    await this.connect();
    const creds = this.options.credentials;
    if (!creds || !this.challenge) return;
    if (this.challenge.scheme === "bearer") {
      await this.tokens.token(this.challenge, [], Date.now(), true);
      return;
    }
    await this.request("GET", "/v2/", { accept: [200], what: "check the credentials" });
  }

  url(pathOrUrl: string): string {
    return new URL(pathOrUrl, `${this.base}/`).toString();
  }

  async request(method: string, pathOrUrl: string, req: RegistryRequest): Promise<Response> {
    await this.connect();
    const url = this.url(pathOrUrl);
    // After a 401, one more try for this request only: a fresh token with the scope the registry
    // asked for (insufficient_scope), or Basic where the registry asks for Basic on this path
    // (Harbor's catalog). The run's own challenge never changes: no downgrade for later requests.
    let again: "fresh-token" | "basic" | undefined;
    let extraScopes: string[] = [];
    let retried401 = false;
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { ...req.headers };
      const creds = this.options.credentials;
      const useBasic = req.basic || again === "basic";
      const auth = useBasic
        ? creds && basicHeader(creds)
        : await this.authorization([...(req.scopes ?? []), ...extraScopes], again === "fresh-token");
      if (auth) headers.authorization = auth;
      const sent = !auth ? "none" : auth.startsWith("Bearer ") ? "bearer" : "basic";
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
      if (response.status === 401 && !retried401 && !(req.body instanceof ReadableStream)) {
        const challenge = parseChallenge(response.headers.get("www-authenticate"));
        retried401 = true;
        if (!this.challenge && challenge) {
          // The registry answered /v2/ without a challenge but wants one here: take it for the run.
          this.challenge = challenge;
          await response.body?.cancel();
          continue;
        }
        if (challenge?.scheme === "bearer" && this.challenge?.scheme === "bearer") {
          extraScopes = challenge.params.scope ? challenge.params.scope.split(" ") : [];
          again = "fresh-token";
          await response.body?.cancel();
          continue;
        }
        if (challenge?.scheme === "basic" && sent === "bearer" && creds) {
          again = "basic";
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
      if (response.status === 401)
        throw await this.refused(method, req, method === "HEAD" ? "" : await response.text(), sent);
      throw registryError(response.status, method === "HEAD" ? "" : await response.text(), req.what, this.registry);
    }
  }
}
