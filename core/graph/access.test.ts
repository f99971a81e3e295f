import { describe, expect, test } from "bun:test";
import { checkAccess, LoginGuard } from "./access.ts";

const req = (host: string, extra: Record<string, string> = {}, url = "/graph.json") => ({
  url,
  headers: { host, ...extra },
});

describe("the page server answers only its own name", () => {
  const local = { host: "127.0.0.1", port: 50080 };
  test.each(["127.0.0.1:50080", "localhost:50080", "[::1]:50080"])("loopback bind: Host %s is served", (host) => {
    expect(checkAccess(local, req(host))).toEqual({ ok: true });
  });

  test.each(["evil.example", "evil.example:50080", "127.0.0.1:80", ""])(
    "loopback bind: Host %j is misdirected (DNS rebinding)",
    (host) => {
      expect(checkAccess(local, req(host))).toMatchObject({ ok: false, status: 421 });
    },
  );

  test("a WebSocket from another site's page is refused; from its own page it is not", () => {
    const up = { upgrade: "websocket" };
    expect(checkAccess(local, req("127.0.0.1:50080", { ...up, origin: "https://evil.example" }))).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(checkAccess(local, req("127.0.0.1:50080", { ...up, origin: "http://127.0.0.1:50080" }))).toEqual({
      ok: true,
    });
  });

  test("beyond loopback: the token in the URL sets a cookie; the cookie or a bearer header then suffice", () => {
    const wide = { host: "0.0.0.0", port: 8080, token: "s3cret-token" };
    expect(checkAccess(wide, req("lab.example:8080"))).toMatchObject({ ok: false, status: 403 });
    expect(checkAccess(wide, req("lab.example:8080", {}, "/?token=wrong"))).toMatchObject({ ok: false });
    const first = checkAccess(wide, req("lab.example:8080", {}, "/?token=s3cret-token"));
    expect(first).toEqual({ ok: true, setCookie: "lab_token=s3cret-token; HttpOnly; SameSite=Strict; Path=/" });
    expect(checkAccess(wide, req("lab.example:8080", { cookie: "a=b; lab_token=s3cret-token" }))).toEqual({ ok: true });
    expect(checkAccess(wide, req("lab.example:8080", { authorization: "Bearer s3cret-token" }))).toEqual({ ok: true });
  });

  test("a specific non-loopback address: its own Host only", () => {
    const one = { host: "192.0.2.10", port: 8080, token: "t" };
    expect(checkAccess(one, req("evil.example:8080", { authorization: "Bearer t" }))).toMatchObject({ status: 421 });
    expect(checkAccess(one, req("192.0.2.10:8080", { authorization: "Bearer t" }))).toEqual({ ok: true });
  });
});

describe("a console's login (HTTP Basic)", () => {
  const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
  const make = () => ({
    host: "127.0.0.1",
    port: 8080,
    login: { user: "lab", password: "pw-1", guard: new LoginGuard(3) },
  });

  test("without it: 401 asking for Basic; with it: any Host name (a tunnel's) is answered", () => {
    const o = make();
    const none = checkAccess(o, req("edge.example:40123"));
    expect(none).toMatchObject({
      ok: false,
      status: 401,
      headers: { "www-authenticate": expect.stringContaining("Basic") },
    });
    expect(checkAccess(o, req("edge.example:40123", { authorization: basic("lab", "pw-1") }))).toEqual({ ok: true });
  });

  test("a wrong one counts against the peer; after the limit even the right one waits (429)", () => {
    const o = { ...make(), peer: "10.0.0.9" };
    for (let i = 0; i < 3; i++)
      expect(checkAccess(o, req("x:1", { authorization: basic("lab", "guess") }))).toMatchObject({ status: 401 });
    expect(checkAccess(o, req("x:1", { authorization: basic("lab", "pw-1") }))).toMatchObject({ status: 429 });
    expect(checkAccess({ ...o, peer: "10.0.0.10" }, req("x:1", { authorization: basic("lab", "pw-1") }))).toEqual({
      ok: true,
    });
  });
});
