// lab share against a faithful fake of the mysocket API in front of a real OpenSSH edge on loopback.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { echo } from "../helpers/echo.ts";
import { lab, sh, waitFor } from "../helpers/env.ts";
import { errorLines, freeSubnet, labDir } from "../helpers/lab.ts";
import { type MysocketEnv, startMysocket } from "../helpers/mysocket.ts";

const t = labDir("e2e-share");
const subnet = freeSubnet();
const config = mkdtempSync(join(tmpdir(), "lab-share-config-"));
let ms: MysocketEnv;
let env: Record<string, string>;
let file = "";

const topology = (name: string, publish: string, extra = "") => `name: ${name}
mgmt: { network: ${name}, ipv4-subnet: ${subnet.v4} }
topology:
  nodes:
    web:
      image: lab-test/linux:1
      cmd: sh -c "httpd -p 8080 -h /var/www; while true; do nc -l -p 7000 -e cat; done"
      publish: ${publish}
${extra}`;

async function publicPort(name: string): Promise<number> {
  const state = await ms.state();
  const socket = state.sockets.find((s) => s.name === name);
  if (!socket) throw new Error(`no socket ${name}`);
  return socket.socket_tcp_ports[0] as number;
}

beforeAll(async () => {
  ms = await startMysocket();
  env = { MYSOCKET_API: ms.api, MYSOCKET_SSH: ms.edge, XDG_CONFIG_HOME: config };
  file = t.write("share.clab.yml", topology(t.name, "[http/8080, tcp/7000]"));
});

afterAll(async () => {
  t.cleanup();
  await ms?.stop();
  rmSync(config, { recursive: true, force: true });
});

describe("lab login mysocket", () => {
  test("a wrong password is one clear line", () => {
    const r = lab(["login", "mysocket", "--email", ms.user.email, "--password-stdin"], { env, input: "nope\n" });
    expect(r.code).toBe(8);
    expect(errorLines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain("mysocket rejected the email or password");
  });

  test("stores the token with mode 0600", () => {
    const r = lab(["login", "mysocket", "--email", ms.user.email, "--password-stdin"], {
      env,
      input: `${ms.user.password}\n`,
    });
    expect(r.code).toBe(0);
    expect(statSync(join(config, "lab", "mysocket-token")).mode & 0o777).toBe(0o600);
  });
});

describe("lab share", () => {
  test("publishes both ports through the edge, in the background", async () => {
    expect(lab(["up", "-t", file], { env }).code).toBe(0);
    const r = lab(["share", "-t", file, "--detach"], { env });
    expect(r.stderr).not.toContain("ERROR");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Published ports:");
    expect(r.stdout).toContain("clab-http-8080-web");
    expect(r.stdout).toContain("clab-tcp-7000-web");
    const http = await publicPort("clab-http-8080-web");
    expect(await (await fetch(`http://127.0.0.1:${http}/`)).text()).toBe("lab test node\n");
    expect(await echo(await publicPort("clab-tcp-7000-web"), "ping")).toBe("ping");
  });

  test("status shows each tunnel connected; inspect shows the published ports", () => {
    const status = JSON.parse(lab(["share", "status", "-t", file, "--format", "json"], { env }).stdout);
    expect(status.running).toBe(true);
    expect(status.sockets.map((s: { status: { connected: boolean } }) => s.status.connected)).toEqual([true, true]);
    expect(lab(["inspect", "-t", file], { env }).stdout).toContain("clab-tcp-7000-web");
  });

  test("a killed edge connection comes back", async () => {
    ms.dropConnections();
    await waitFor(
      () => {
        const s = JSON.parse(lab(["share", "status", "-t", file, "--format", "json"], { env }).stdout);
        return s.sockets.every(
          (x: { status: { connected: boolean; reconnects: number } }) => x.status.connected && x.status.reconnects > 0,
        );
      },
      30_000,
      "the tunnels to reconnect",
    );
    expect(await echo(await publicPort("clab-tcp-7000-web"), "again")).toBe("again");
    expect(sh(`cat ${t.dir}/clab-${t.name}/share/socket-clab-tcp-7000-web.log`).stdout).toContain("connection closed");
  });

  test("lab down stops sharing: no socket in the fake's list, no process behind", async () => {
    const pid = JSON.parse(lab(["share", "status", "-t", file, "--format", "json"], { env }).stdout).pid;
    expect(lab(["down", "-t", file], { env }).code).toBe(0);
    expect((await ms.state()).sockets).toEqual([]);
    expect(sh(`kill -0 ${pid}`).code).not.toBe(0);
  });
});

describe("the seed's workflow", () => {
  test("lab up --share with a .mysocketio_token next to the topology", async () => {
    const login = await fetch(`${ms.api}/login`, {
      method: "POST",
      body: JSON.stringify({ email: ms.user.email, password: ms.user.password }),
    });
    const token = ((await login.json()) as { token: string }).token;
    const dir = mkdtempSync(join(tmpdir(), "lab-share-seed-"));
    try {
      const name = `${t.name}s`;
      const seed = join(dir, "seed.clab.yml");
      await Bun.write(seed, topology(name, "[tcp/7000]").replace(subnet.v4, freeSubnet().v4));
      // The user's own token file, private (mode 0600), as lab requires of one beside a topology.
      writeFileSync(join(dir, ".mysocketio_token"), `${token}\n`, { mode: 0o600 });
      // No stored login: the token file beside the topology is what lab finds.
      const noLogin = { ...env, XDG_CONFIG_HOME: join(dir, "empty-config") };
      const r = lab(["up", "-t", seed, "--share"], { env: noLogin });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("clab-tcp-7000-web");
      expect(await echo(await publicPort("clab-tcp-7000-web"), "seed")).toBe("seed");
      expect(lab(["down", "-t", seed, "--cleanup"], { env: noLogin }).code).toBe(0);
      expect((await ms.state()).sockets).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("bad input: one clear line, nothing left open", () => {
  const expectRefused = async (r: ReturnType<typeof lab>, code: number, text: string) => {
    const lines = errorLines(r.stderr).filter((l) => /ERROR|\[error\]/.test(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(text);
    expect(r.code).toBe(code);
    expect((await ms.state()).sockets).toEqual([]);
  };

  test("an expired token is refused before any socket is created", async () => {
    const claims = Buffer.from(
      JSON.stringify({ user_id: ms.user.user_id, exp: Math.floor(Date.now() / 1000) - 60 }),
    ).toString("base64url");
    const r = lab(["share", "-t", file], { env: { ...env, MYSOCKET_TOKEN: `e30.${claims}.sig` } });
    await expectRefused(r, 8, "the mysocket token from MYSOCKET_TOKEN expired at");
  });

  test("too many tcp sockets is caught at validate time with file:line", async () => {
    const f = t.write("many.clab.yml", topology(`${t.name}m`, "[tcp/1, tcp/2, tcp/3, tcp/4, tcp/5, tcp/6]"));
    const r = lab(["validate", "-t", f], { env });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      "many.clab.yml:8:16: topology.nodes.web.publish: publish tcp/6 exceeds the account limit of 5 tcp-based sockets",
    );
  });

  test("an unknown type", async () => {
    const f = t.write("udp.clab.yml", topology(`${t.name}u`, "[udp/53]"));
    await expectRefused(
      lab(["share", "-t", f], { env }),
      3,
      'topology.nodes.web.publish[0]: "udp/53": unknown type "udp"',
    );
  });

  test("a node that is not running", async () => {
    await expectRefused(
      lab(["share", "-t", file], { env }),
      3,
      "node web is not running, so its ports cannot be published",
    );
  });

  test("the API unreachable", async () => {
    expect(lab(["up", "-t", file], { env }).code).toBe(0);
    await expectRefused(
      lab(["share", "-t", file], { env: { ...env, MYSOCKET_API: "http://127.0.0.1:1" } }),
      7,
      "cannot reach the mysocket API at http://127.0.0.1:1",
    );
  });

  test("the edge's host key changed since lab recorded it: refused in one line naming the file", async () => {
    // The first share recorded the edge's key in lab's own known_hosts (trust on first use).
    const known = join(config, "lab", "known_hosts");
    const recorded = readFileSync(known, "utf8");
    expect(recorded).toContain(`[127.0.0.1]:${ms.edge.split(":")[1]} ssh-ed25519`);
    const other = sh(
      `ssh-keygen -q -t ed25519 -N '' -f ${config}/other <<<y >/dev/null; cat ${config}/other.pub`,
    ).stdout;
    writeFileSync(known, `[127.0.0.1]:${ms.edge.split(":")[1]} ${other.split(" ").slice(0, 2).join(" ")}\n`);
    try {
      await expectRefused(
        lab(["share", "-t", file, "--detach"], { env }),
        7,
        `is not the one recorded in ${known}: refusing to connect`,
      );
    } finally {
      writeFileSync(known, recorded);
    }
  });

  test("the edge refuses the certificate", async () => {
    await ms.control({ badCa: true });
    try {
      await expectRefused(lab(["share", "-t", file, "--detach"], { env }), 7, "the edge refused the certificate");
    } finally {
      await ms.control({ badCa: false });
      lab(["down", "-t", file], { env });
    }
  });
});
