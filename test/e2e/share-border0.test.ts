// lab share through Border0: a local fake of its API (device flow, sockets, policies, signkey with
// real SSH certificates from a test CA and the edge's real host key) in front of a real OpenSSH edge.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Border0Env, startBorder0 } from "../helpers/border0.ts";
import { echo } from "../helpers/echo.ts";
import { lab, labAsync, sh, waitFor } from "../helpers/env.ts";
import { errorLines, freeSubnet, labDir } from "../helpers/lab.ts";

const t = labDir("e2e-b0");
const subnet = freeSubnet();
const home = mkdtempSync(join(tmpdir(), "lab-b0-home-"));
let b0: Border0Env;
let env: Record<string, string>;
let file = "";

interface Status {
  running: boolean;
  provider: string;
  sockets: {
    name: string;
    who: string;
    address: string;
    status: { connected: boolean; reconnects: number; edgePort?: number };
  }[];
}
const status = (): Status => JSON.parse(lab(["share", "status", "-t", file, "--format", "json"], { env }).stdout);
const edgePort = (type: string) =>
  status().sockets.find((s) => s.name.endsWith(`-web-${type}`))?.status.edgePort as number;

beforeAll(async () => {
  b0 = await startBorder0();
  env = {
    BORDER0_API: b0.api,
    BORDER0_TUNNEL: b0.edge,
    BORDER0_ADMIN_TOKEN: b0.token,
    HOME: home,
    XDG_CONFIG_HOME: join(home, ".config"),
  };
  file = t.write(
    "b0.clab.yml",
    `name: ${t.name}
mgmt: { network: ${t.name}, ipv4-subnet: ${subnet.v4} }
topology:
  nodes:
    web:
      image: lab-test/linux:1
      cmd: sh -c "httpd -p 8080 -h /var/www; while true; do nc -l -p 7000 -e cat; done"
      publish: [http/8080, tcp/7000, tls/7001/alice@example.com]
`,
  );
  expect(lab(["up", "-t", file], { env }).code).toBe(0);
});

afterAll(async () => {
  t.cleanup();
  await b0?.stop();
  rmSync(home, { recursive: true, force: true });
});

describe("lab share through Border0", () => {
  test("the default provider without mysocket set up; one socket per entry, a policy for the allow-list", async () => {
    const r = lab(["share", "-t", file, "--detach"], { env });
    expect(r.code).toBe(0);
    // Which account and organisation, and where the token came from, said at the start.
    expect(r.stderr).toContain(
      `through border0 as tester@lab.test of organisation fake-org (token from BORDER0_ADMIN_TOKEN; API ${b0.api}, edge ${b0.edge}`,
    );
    expect(r.stderr).toContain("tcp entries are published as tls sockets");
    expect(r.stdout).toContain("Published ports:");
    const s = await b0.state();
    const names = s.sockets.map((x) => x.name).sort();
    expect(names).toEqual([`${t.name}-web-http-8080`, `${t.name}-web-tcp-7000`, `${t.name}-web-tls-7001`].sort());
    expect(s.sockets.find((x) => x.name.endsWith("http-8080"))?.socket_type).toBe("http");
    expect(s.sockets.find((x) => x.name.endsWith("tcp-7000"))?.socket_type).toBe("tls");
    const tls = s.sockets.find((x) => x.name.endsWith("tls-7001"));
    expect(s.policies).toHaveLength(1);
    expect(s.policies[0]?.policy_data.condition?.who?.email).toEqual(["alice@example.com"]);
    expect(tls?.policies.map((p) => p.id)).toEqual([s.policies[0]?.id as string]);
    // The table says each public address and who may connect.
    expect(r.stdout).toContain(`https://${t.name}-web-http-8080-fakeorg.border0.test`);
    expect(r.stdout).toContain("alice@example.com");
    expect(r.stdout).toContain("default policy");
    // Every connect signed a fresh key.
    expect(s.calls.filter((c) => c.endsWith("/signkey")).length).toBeGreaterThanOrEqual(3);
  });

  test("both services are reached through the edge", async () => {
    expect(await (await fetch(`http://127.0.0.1:${edgePort("http-8080")}/`)).text()).toBe("lab test node\n");
    expect(await echo(edgePort("tcp-7000"), "ping")).toBe("ping");
  });

  test("the edge restarted: both tunnels come back once it returns", async () => {
    await b0.stopEdge();
    await waitFor(() => status().sockets.every((s) => !s.status.connected), 20_000, "the tunnels to notice");
    // The edge stays down a while, so the sharer's reconnects fail and back off before it returns.
    await Bun.sleep(2000);
    await b0.startEdge();
    // How fast they come back is make bench's (scripts/bench/share.ts); here only that they do.
    await waitFor(() => status().sockets.every((s) => s.status.connected), 30_000, "the tunnels to come back");
    expect(await echo(edgePort("tcp-7000"), "again")).toBe("again");
    expect(await (await fetch(`http://127.0.0.1:${edgePort("http-8080")}/`)).text()).toBe("lab test node\n");
  });

  test("lab down: no socket, policy or tunnel left (the policy deleted at DELETE /policy/{id})", async () => {
    const pid = status().running
      ? JSON.parse(lab(["share", "status", "-t", file, "--format", "json"], { env }).stdout).pid
      : 0;
    expect(lab(["down", "-t", file], { env }).code).toBe(0);
    const s = await b0.state();
    expect(s.sockets).toEqual([]);
    expect(s.policies).toEqual([]);
    expect(s.calls.filter((c) => c.startsWith("DELETE /polic"))).toEqual([expect.stringMatching(/^DELETE \/policy\//)]);
    expect(sh(`kill -0 ${pid}`).code).not.toBe(0);
  });

  test("a second share of the same lab works: its policy name is free again", async () => {
    expect(lab(["up", "-t", file], { env }).code).toBe(0);
    const r = lab(["share", "-t", file, "--detach"], { env });
    expect(r.stderr).not.toContain("ERROR");
    expect(r.code).toBe(0);
    expect((await b0.state()).policies.map((p) => p.name)).toEqual([expect.stringMatching(/^lab-.*-web-tls-7001$/)]);
    expect(lab(["down", "-t", file], { env }).code).toBe(0);
    expect((await b0.state()).policies).toEqual([]);
  });
});

describe("refused before anything is created, in one line", () => {
  const refused = async (r: ReturnType<typeof lab>, code: number, text: string) => {
    const lines = errorLines(r.stderr).filter((l) => /ERROR/.test(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(text);
    expect(r.code).toBe(code);
    const s = await b0.state();
    expect(s.sockets).toEqual([]);
    expect(s.policies).toEqual([]);
  };

  test("a swapped edge host key", async () => {
    expect(lab(["up", "-t", file], { env }).code).toBe(0);
    await b0.control({ swappedHostKey: true });
    try {
      await refused(
        lab(["share", "-t", file, "--detach"], { env }),
        7,
        "presented a host key that is not the one Border0's API gave",
      );
    } finally {
      await b0.control({ swappedHostKey: false });
    }
  });

  test("a malformed, an expired and a refused token", async () => {
    await refused(
      lab(["share", "-t", file], { env: { ...env, BORDER0_ADMIN_TOKEN: "not-a-jwt" } }),
      8,
      "is not a token",
    );
    const expired = `e30.${Buffer.from(JSON.stringify({ user_id: b0.user.user_id, exp: 1 })).toString("base64url")}.x`;
    await refused(lab(["share", "-t", file], { env: { ...env, BORDER0_ADMIN_TOKEN: expired } }), 8, "expired at");
    const forged = `e30.${Buffer.from(JSON.stringify({ user_id: b0.user.user_id, exp: 4102444800 })).toString("base64url")}.x`;
    await refused(
      lab(["share", "-t", file], { env: { ...env, BORDER0_ADMIN_TOKEN: forged } }),
      8,
      "Border0 refused the token",
    );
  });

  test("a 404 when attaching the allow-list's policy: one line, the socket and policy taken back", async () => {
    expect(lab(["up", "-t", file], { env }).code).toBe(0);
    await b0.control({ attachNotFound: true });
    const earlier = (await b0.state()).calls.length;
    try {
      await refused(lab(["share", "-t", file, "--detach"], { env }), 7, "/policy failed: policy not found (HTTP 404)");
      // Retried as Border0's SDK retries a 404 (replication lag: 3 more tries) before giving up.
      const calls = (await b0.state()).calls.slice(earlier);
      expect(calls.filter((c) => /^PUT \/socket\/.*\/policy$/.test(c)).length).toBe(4);
    } finally {
      await b0.control({ attachNotFound: false });
    }
  });

  test("end-to-end encrypted sockets are refused", async () => {
    await b0.control({ endToEnd: true });
    try {
      await refused(lab(["share", "-t", file], { env }), 7, "end-to-end encryption");
    } finally {
      await b0.control({ endToEnd: false });
      lab(["down", "-t", file], { env });
    }
  });
});

describe("lab login border0 and a user token", () => {
  const fresh = mkdtempSync(join(tmpdir(), "lab-b0-login-"));
  const tokenFile = join(fresh, ".border0", "token");
  afterAll(() => rmSync(fresh, { recursive: true, force: true }));

  test("the device flow polls through 401s while pending; the token is stored mode 0600", async () => {
    // Border0's clients poll through a 401 (not approved yet); lab used to give up there.
    await b0.control({ unauthorizedPolls: 2, devicePolls: 3, tokenSeconds: 14 });
    const r = await labAsync(["login", "border0"], { env: { BORDER0_API: b0.api, HOME: fresh } });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("https://portal.border0.com/login?device_identifier=");
    expect(r.stderr).toContain("approved: logged in to Border0 as tester@lab.test of organisation fake-org");
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    await b0.control({ unauthorizedPolls: 0, devicePolls: 2 });
  });

  test("a denied login is one line saying so", async () => {
    await b0.control({ denyDevice: true });
    try {
      const other = mkdtempSync(join(tmpdir(), "lab-b0-deny-"));
      const r = await labAsync(["login", "border0"], { env: { BORDER0_API: b0.api, HOME: other } });
      rmSync(other, { recursive: true, force: true });
      expect(r.code).toBe(8);
      expect(errorLines(r.stderr).filter((l) => l.includes("ERROR"))).toEqual([
        expect.stringContaining("the Border0 login was denied in the portal"),
      ]);
    } finally {
      await b0.control({ denyDevice: false });
    }
  });

  test("a running share refreshes a user token before it expires, and stores the new one", async () => {
    const userEnv = {
      BORDER0_API: b0.api,
      BORDER0_TUNNEL: b0.edge,
      HOME: fresh,
      XDG_CONFIG_HOME: join(fresh, ".config"),
    };
    expect(lab(["up", "-t", file], { env: userEnv }).code).toBe(0);
    const before = readFileSync(tokenFile, "utf8");
    try {
      const r = lab(["share", "-t", file, "--detach"], { env: userEnv });
      expect(r.stderr).not.toContain("ERROR");
      expect(r.code).toBe(0);
      await waitFor(
        () => readFileSync(tokenFile, "utf8") !== before,
        30_000,
        "the token file to hold a refreshed token",
      );
      expect((await b0.state()).calls).toContain("POST /login/refresh");
      expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
      // The tunnels keep working with the new token (each reconnect signs with it).
      expect(lab(["share", "status", "-t", file, "--format", "json"], { env: userEnv }).code).toBe(0);
    } finally {
      lab(["down", "-t", file], { env: userEnv });
      await b0.control({ tokenSeconds: 3600 });
    }
    const s = await b0.state();
    expect(s.sockets).toEqual([]);
    expect(s.policies).toEqual([]);
  });
});
