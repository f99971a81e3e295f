import { LabError } from "../errors.ts";

// Border0's REST API (border0-api.md), called directly: the token in both headers the official
// clients use, JSON both ways, 429 retried after Retry-After, errors as one line.

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

type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Border0Api {
  constructor(
    readonly base: string,
    private readonly token: string,
    private readonly fetchFn: FetchFn = fetch,
  ) {}

  async call<T>(
    method: string,
    path: string,
    body?: unknown,
    token = this.token,
  ): Promise<{ status: number; data: T }> {
    const url = `${this.base.replace(/\/+$/, "")}${path}`;
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await this.fetchFn(url, {
          method,
          headers: {
            "content-type": "application/json",
            accept: "application/json",
            "x-client-requested-with": "lab",
            ...(token ? { authorization: `Bearer ${token}`, "x-access-token": token } : {}),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(30_000),
        });
      } catch (error) {
        throw new LabError("remote", `cannot reach the Border0 API at ${this.base}: ${(error as Error).message}`, {
          hint: "Check the network, or BORDER0_API",
        });
      }
      if (response.status === 429 && attempt < 5) {
        const wait = Number(response.headers.get("retry-after") ?? "1");
        await sleep(Math.min(30, Number.isFinite(wait) ? wait : 1) * 1000);
        continue;
      }
      const text = await response.text();
      let data: unknown;
      try {
        data = text ? JSON.parse(text) : undefined;
      } catch {
        data = text;
      }
      if (response.status === 401 && token)
        throw new LabError("auth", "Border0 refused the token (expired, revoked or not an access token)", {
          hint: "Run lab login border0, or set BORDER0_ADMIN_TOKEN to an access token from the portal",
        });
      if (!response.ok && response.status !== 404) {
        const d = data as { error_message?: string; message?: string } | undefined;
        const message = d?.error_message ?? d?.message ?? (typeof data === "string" ? data.slice(0, 200) : "");
        throw new LabError("remote", `Border0 API ${method} ${path} failed: ${message || `HTTP ${response.status}`}`);
      }
      return { status: response.status, data: data as T };
    }
  }

  /** One cheap authenticated call: is the token accepted? */
  async check(): Promise<void> {
    await this.call("GET", "/sockets?page=1&page_size=1");
  }

  async socketsNamed(names: Set<string>): Promise<Border0Socket[]> {
    const out: Border0Socket[] = [];
    for (let page = 1; page > 0 && page < 100; ) {
      const { data } = await this.call<
        { list?: Border0Socket[]; pagination?: { next_page?: number } } | Border0Socket[]
      >("GET", `/sockets?page=${page}&page_size=100`);
      const list = Array.isArray(data) ? data : (data?.list ?? []);
      out.push(...list.filter((s) => names.has(s.name)));
      page = Array.isArray(data) ? 0 : (data?.pagination?.next_page ?? 0);
    }
    return out;
  }

  async createSocket(body: Record<string, unknown>): Promise<Border0Socket> {
    return (await this.call<Border0Socket>("POST", "/socket", body)).data;
  }

  async deleteSocket(idOrName: string): Promise<void> {
    await this.call("DELETE", `/socket/${encodeURIComponent(idOrName)}`);
  }

  async signKey(idOrName: string, publicKey: string): Promise<{ cert: string; hostKey: string }> {
    const { data } = await this.call<{ signed_ssh_cert?: string; host_key?: string }>(
      "POST",
      `/socket/${encodeURIComponent(idOrName)}/signkey`,
      { ssh_public_key: publicKey },
    );
    if (!data?.signed_ssh_cert || !data.host_key)
      throw new LabError("remote", "the Border0 API returned no certificate or host key");
    return { cert: data.signed_ssh_cert, hostKey: data.host_key };
  }

  async findPolicy(name: string): Promise<Border0Policy | undefined> {
    const { status, data } = await this.call<Border0Policy>("GET", `/policies/find?name=${encodeURIComponent(name)}`);
    return status === 404 || !data?.id ? undefined : data;
  }

  async createPolicy(
    name: string,
    who: { email: string[]; domain: string[] },
    description: string,
  ): Promise<Border0Policy> {
    const { data } = await this.call<Border0Policy>("POST", "/policies", {
      name,
      description,
      org_wide: false,
      policy_data: {
        version: "v1",
        action: ["database", "ssh", "http", "tls"],
        condition: {
          who: { email: who.email, domain: who.domain, group: [], service_account: [] },
          where: { allowed_ip: ["0.0.0.0/0", "::/0"] },
          when: {},
        },
      },
    });
    return data;
  }

  async attachPolicy(socketId: string, policyId: string): Promise<void> {
    await this.call("PUT", `/socket/${encodeURIComponent(socketId)}/policy`, {
      actions: [{ action: "add", id: policyId }],
    });
  }

  async deletePolicy(id: string): Promise<void> {
    await this.call("DELETE", `/policies/${encodeURIComponent(id)}`);
  }
}
