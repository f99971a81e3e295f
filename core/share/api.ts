import type { FetchFn } from "../../runtime/platform/types.ts";
import { LabError } from "../errors.ts";
import { JsonApi } from "../http/json-api.ts";

export const DEFAULT_API = "https://api.mysocket.io";
export const DEFAULT_EDGE = "ssh.mysocket.io:22";

export interface SocketInfo {
  socket_id: string;
  name: string;
  dnsname: string;
  socket_type: string;
  socket_tcp_ports: number[];
  cloud_authentication_enabled: boolean;
  user_name?: string;
  tunnels?: TunnelInfo[];
}

export interface TunnelInfo {
  tunnel_id: string;
  local_port: number;
  tunnel_server?: string;
}

export interface CreateSocket {
  name: string;
  type: string;
  emails: string[];
  domains: string[];
}

/** The mysocket REST API, called directly: `x-access-token` on every call, JSON both ways. */
export class MysocketApi {
  private readonly http: JsonApi;

  constructor(
    readonly base: string,
    token: string,
    fetchFn?: FetchFn,
  ) {
    this.http = new JsonApi({
      service: "the mysocket API",
      baseURL: base,
      token: token || undefined,
      auth: (t) => ({ "x-access-token": t }),
      headers: { "x-client-requested-with": "lab" },
      fetch: fetchFn,
      unreachableHint: "Check the network, or MYSOCKET_API / --api",
      unauthorized: (sent) =>
        sent
          ? new LabError("auth", "mysocket rejected the token (expired or revoked)", {
              hint: "Run lab login mysocket --email YOU",
            })
          : new LabError("auth", "mysocket rejected the email or password", {
              hint: "Check them, or reset the password in the mysocket portal",
            }),
    });
  }

  static async login(base: string, email: string, password: string, fetchFn?: FetchFn): Promise<string> {
    const api = new MysocketApi(base, "", fetchFn);
    const r = await api.call<{ token?: string }>("POST", "/login", { email, password }, false);
    if (!r?.token) throw new LabError("remote", `mysocket API at ${base} returned no token`);
    return r.token;
  }

  setToken(token: string) {
    this.http.setToken(token);
  }

  private async call<T>(method: string, path: string, body?: unknown, auth = true): Promise<T> {
    return (await this.http.call<T>(method, path, { body, ...(auth ? {} : { token: null }) })).data;
  }

  refresh(): Promise<{ token: string }> {
    return this.call("POST", "/login/refresh", {});
  }

  /** Every socket of the account (`GET /connect`, as clab inspect read it). */
  sockets(): Promise<SocketInfo[]> {
    return this.call<SocketInfo[]>("GET", "/connect").then((r) => r ?? []);
  }

  createSocket(s: CreateSocket): Promise<SocketInfo> {
    const cloudAuth = s.emails.length + s.domains.length > 0;
    return this.call("POST", "/socket", {
      name: s.name,
      socket_type: s.type,
      protected_socket: false,
      protected_username: "",
      protected_password: "",
      cloud_authentication_enabled: cloudAuth,
      // Every mysocket client spelled it with three s.
      cloud_authentication_email_allowed_addressses: s.emails,
      cloud_authentication_email_allowed_domains: s.domains,
    });
  }

  async deleteSocket(id: string): Promise<void> {
    await this.call("DELETE", `/socket/${id}`);
  }

  createTunnel(socketId: string): Promise<TunnelInfo> {
    return this.call("POST", `/socket/${socketId}/tunnel`, {});
  }

  async signKey(socketId: string, tunnelId: string, publicKey: string): Promise<string> {
    const r = await this.call<{ signed_ssh_cert?: string }>("POST", `/socket/${socketId}/tunnel/${tunnelId}/signkey`, {
      ssh_public_key: publicKey,
    });
    if (!r.signed_ssh_cert) throw new LabError("remote", "mysocket API returned no certificate");
    return r.signed_ssh_cert;
  }
}

export function parseEdge(value: string): { host: string; port: number } {
  const m = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(value.trim());
  if (!m) throw new LabError("usage", `MYSOCKET_SSH=${value} is not host[:port]`);
  return { host: m[1] as string, port: m[2] ? Number(m[2]) : 22 };
}
