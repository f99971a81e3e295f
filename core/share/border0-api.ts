import type { FetchFn } from "../../runtime/platform/types.ts";
import { LabError } from "../errors.ts";
import { JsonApi } from "../http/json-api.ts";

// Border0's REST API (border0-api.md), as Border0's own clients call it: borderzero/border0-go
// client/ (socket.go, policy.go, authentication.go, api_client.go for the retries), border0-cli
// internal/api/api.go (the token refresh). The token goes in both headers the official clients use.

export const BORDER0_API = "https://api.border0.com/api/v1";
export const BORDER0_TUNNEL = "tunnel.border0.com:22";
export const BORDER0_PORTAL = "https://portal.border0.com";

export interface Border0Socket {
  socket_id: string;
  name: string;
  socket_type: string;
  upstream_type?: string;
  dnsname: string;
  socket_tcp_ports?: number[];
  policies?: { id: string; name: string }[];
  connector_authentication_enabled?: boolean;
  end_to_end_encryption_enabled?: boolean;
}

export interface Border0Policy {
  id: string;
  name: string;
}

/** The policy_data version lab writes, and the top-level version the SDK sends with it. */
export const POLICY_VERSION = "v1";

export class Border0Api {
  private readonly http: JsonApi;

  constructor(base: string, token: string, fetchFn?: FetchFn) {
    this.http = new JsonApi({
      service: "the Border0 API",
      baseURL: base,
      token: token || undefined,
      auth: (t) => ({ authorization: `Bearer ${t}`, "x-access-token": t }),
      headers: { "x-client-requested-with": "lab" },
      fetch: fetchFn,
      unreachableHint: "Check the network, or BORDER0_API",
      unauthorized: (sent) =>
        new LabError(
          "auth",
          sent ? "Border0 refused the token (expired, revoked or not an access token)" : "Border0 wants a token",
          { hint: "Run lab login border0, or set BORDER0_ADMIN_TOKEN to an access token from the portal" },
        ),
    });
  }

  get base(): string {
    return this.http.base;
  }

  /** Uses a refreshed token from now on. */
  setToken(token: string): void {
    this.http.setToken(token);
  }

  /** The raw call, for the device flow (its own token, its own handling of 401). */
  call<T>(method: string, path: string, body?: unknown, token?: string | null) {
    return this.http.call<T>(method, path, { body, token });
  }

  /** One cheap authenticated call: is the token accepted? */
  async check(): Promise<void> {
    await this.http.call("GET", "/sockets?page=1&page_size=1");
  }

  async socketsNamed(names: Set<string>): Promise<Border0Socket[]> {
    const out: Border0Socket[] = [];
    for (let page = 1; page > 0 && page < 100; ) {
      const { data } = await this.http.call<
        { list?: Border0Socket[]; pagination?: { next_page?: number } } | Border0Socket[]
      >("GET", `/sockets?page=${page}&page_size=100`);
      const list = Array.isArray(data) ? data : (data?.list ?? []);
      out.push(...list.filter((s) => names.has(s.name)));
      page = Array.isArray(data) ? 0 : (data?.pagination?.next_page ?? 0);
    }
    return out;
  }

  async createSocket(body: Record<string, unknown>): Promise<Border0Socket> {
    const { data } = await this.http.call<Border0Socket>("POST", "/socket", { body });
    if (!data?.socket_id) throw new LabError("remote", "the Border0 API answered POST /socket without a socket_id");
    return data;
  }

  /** Deletes a socket; one already gone is fine (as the SDK's DeleteSocket). */
  async deleteSocket(idOrName: string): Promise<void> {
    await this.http.call("DELETE", `/socket/${encodeURIComponent(idOrName)}`, { notFoundOk: true });
  }

  async signKey(idOrName: string, publicKey: string): Promise<{ cert: string; hostKey: string }> {
    const { data } = await this.http.call<{ signed_ssh_cert?: string; host_key?: string }>(
      "POST",
      `/socket/${encodeURIComponent(idOrName)}/signkey`,
      { body: { ssh_public_key: publicKey }, retryNotFound: true },
    );
    if (!data?.signed_ssh_cert || !data.host_key)
      throw new LabError("remote", "the Border0 API returned no certificate or host key");
    return { cert: data.signed_ssh_cert, hostKey: data.host_key };
  }

  /** A policy by name; undefined when there is none (`/policies/find` answers 404). */
  async findPolicy(name: string): Promise<Border0Policy | undefined> {
    const { status, data } = await this.http.call<Border0Policy>(
      "GET",
      `/policies/find?name=${encodeURIComponent(name)}`,
      { notFoundOk: true },
    );
    return status === 404 || !data?.id ? undefined : data;
  }

  /** POST /policies with a v1 policy_data, versioned at the top as the SDK and Terraform send it. */
  async createPolicy(
    name: string,
    who: { email: string[]; domain: string[] },
    description: string,
  ): Promise<Border0Policy> {
    const { data } = await this.http.call<Border0Policy>("POST", "/policies", {
      body: {
        name,
        description,
        version: POLICY_VERSION,
        org_wide: false,
        policy_data: {
          version: POLICY_VERSION,
          action: ["database", "ssh", "http", "tls"],
          condition: {
            who: { email: who.email, domain: who.domain, group: [], service_account: [] },
            where: { allowed_ip: ["0.0.0.0/0", "::/0"] },
            when: {},
          },
        },
      },
    });
    if (!data || typeof data !== "object" || typeof data.id !== "string" || !data.id)
      throw new LabError("remote", `the Border0 API answered POST /policies for ${name} without a policy id`, {
        hint: "Its policy format may have changed; nothing was shared",
      });
    return data;
  }

  /**
   * Attaches a policy to a socket (PUT /socket/{id}/policy, the SDK's AttachPoliciesToSocket). A 404
   * is retried as the SDK retries it, then an error: published without its policy, the socket would
   * fall under the organisation's policies only.
   */
  async attachPolicy(socketId: string, policyId: string): Promise<void> {
    await this.http.call("PUT", `/socket/${encodeURIComponent(socketId)}/policy`, {
      body: { actions: [{ action: "add", id: policyId }] },
      retryNotFound: true,
    });
  }

  /** Deletes a policy: DELETE /policy/{id}, singular, as every Border0 client does; gone already is fine. */
  async deletePolicy(id: string): Promise<void> {
    await this.http.call("DELETE", `/policy/${encodeURIComponent(id)}`, { notFoundOk: true });
  }

  /** A fresh user token for the current one (border0-cli RefreshAccessToken: POST /login/refresh). */
  async refresh(): Promise<string> {
    const { data } = await this.http.call<{ token?: string }>("POST", "/login/refresh", { body: {} });
    if (!data?.token) throw new LabError("remote", "the Border0 API answered /login/refresh without a token");
    return data.token;
  }
}
