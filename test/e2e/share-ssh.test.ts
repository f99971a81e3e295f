// lab share --via ssh://…: your own SSH host as the edge, no account. Real OpenSSH bastions on
// 127.0.0.1 (one with GatewayPorts clientspecified, one without), their own users and keys.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { echo } from "../helpers/echo.ts";
import { ENGINES } from "../helpers/engines.ts";
import { lab, labStream, sh, waitFor } from "../helpers/env.ts";
import { errorLines, freeSubnet, labDir } from "../helpers/lab.ts";
import { type Sshd, startSshd } from "../helpers/sshd.ts";

const t = labDir("e2e-sshedge");
const subnet = freeSubnet();
let bastion: Sshd;
let closed: Sshd;
let file = "";
const config = mkdtempSync(join(tmpdir(), "lab-sshedge-config-"));
const envFor = (s: Sshd) => ({ HOME: s.clientHome, XDG_CONFIG_HOME: config, SSH_AUTH_SOCK: "" });
const via = (s: Sshd) => `ssh://${s.user}@127.0.0.1:${s.port}`;

const status = (env: Record<string, string>) =>
  JSON.parse(lab(["share", "status", "-t", file, "--format", "json"], { env }).stdout) as {
    provider: string;
    sockets: { name: string; address: string; status: { connected: boolean; edgePort: number } }[];
  };
const listening = (port: number) => sh(`ss -Hltn 'sport = :${port}'`).stdout;

beforeAll(async () => {
  bastion = await startSshd({
    knownHosts: true,
    config: ["GatewayPorts clientspecified", "AllowTcpForwarding remote"],
  });
  closed = await startSshd({ knownHosts: true, config: ["AllowTcpForwarding remote"] });
  file = t.write(
    "edge.clab.yml",
    `name: ${t.name}
mgmt: { network: ${t.name}, ipv4-subnet: ${subnet.v4} }
topology:
  nodes:
    web:
      image: lab-test/linux:1
      cmd: sh -c "httpd -p 8080 -h /var/www; while true; do nc -l -p 7000 -e cat; done"
      publish: [http/8080, tcp/7000]
`,
  );
  expect(lab(["up", "-t", file]).code).toBe(0);
});

afterAll(async () => {
  t.cleanup();
  await bastion?.stop();
  await closed?.stop();
  rmSync(config, { recursive: true, force: true });
});

describe("lab share --via ssh://…", () => {
  test("each entry is a remote forward on the bastion, on all its addresses; both services are reachable", async () => {
    const env = envFor(bastion);
    const r = lab(["share", "-t", file, "--via", via(bastion), "--remote-ports", "20000-40000", "--detach"], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`your SSH host ${bastion.user}@127.0.0.1:${bastion.port}`);
    expect(r.stderr).not.toContain("loopback only");
    const s = status(env);
    expect(s.provider).toBe("ssh");
    const [http, tcp] = [s.sockets[0]?.status.edgePort as number, s.sockets[1]?.status.edgePort as number];
    for (const p of [http, tcp]) {
      expect(p).toBeGreaterThanOrEqual(20000);
      expect(p).toBeLessThanOrEqual(40000);
      expect(listening(p)).toContain(`0.0.0.0:${p}`);
    }
    expect(r.stdout).toContain(`127.0.0.1:${tcp}`);
    expect(await (await fetch(`http://127.0.0.1:${http}/`)).text()).toBe("lab test node\n");
    expect(await echo(tcp, "ping")).toBe("ping");
  });

  test("lab down frees the bastion's ports", async () => {
    const env = envFor(bastion);
    const ports = status(env).sockets.map((x) => x.status.edgePort);
    expect(lab(["down", "-t", file], { env }).code).toBe(0);
    for (const p of ports) expect(listening(p)).toBe("");
    expect(lab(["up", "-t", file]).code).toBe(0);
  });

  test("a bastion without GatewayPorts: bound to its loopback, and a warning that says how to change it", () => {
    const env = envFor(closed);
    const r = lab(["share", "-t", file, "--via", via(closed), "--detach"], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("to its loopback only");
    expect(r.stderr).toContain("GatewayPorts clientspecified");
    const p = status(env).sockets[0]?.status.edgePort as number;
    expect(listening(p)).toContain(`127.0.0.1:${p}`);
    expect(lab(["share", "stop", "-t", file], { env }).code).toBe(0);
  });

  test("an unknown host key is refused in one line; --accept-new-host-key records it", () => {
    const fresh = mkdtempSync(join(tmpdir(), "lab-sshedge-home-"));
    try {
      mkdirSync(join(fresh, ".ssh"));
      sh(`cp ${bastion.clientHome}/.ssh/id_ed25519 ${fresh}/.ssh/ && chmod 600 ${fresh}/.ssh/id_ed25519`);
      writeFileSync(join(fresh, ".ssh", "known_hosts"), "");
      const env = { HOME: fresh, XDG_CONFIG_HOME: config, SSH_AUTH_SOCK: "" };
      const r = lab(["share", "-t", file, "--via", via(bastion)], { env });
      expect(r.code).toBe(8);
      expect(errorLines(r.stderr).filter((l) => /ERROR/.test(l))).toEqual([
        expect.stringContaining("refusing an unknown host key"),
      ]);
      const ok = lab(["share", "-t", file, "--via", via(bastion), "--accept-new-host-key", "--detach"], { env });
      expect(ok.code).toBe(0);
      expect(sh(`cat ${fresh}/.ssh/known_hosts`).stdout).toContain(`[127.0.0.1]:${bastion.port}`);
      expect(lab(["share", "stop", "-t", file], { env }).code).toBe(0);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});

describe("an allow-list the own edge cannot enforce", () => {
  test("refused in one line, nothing forwarded; --public shares it and the table says public", () => {
    const env = envFor(bastion);
    const listed = t.write(
      "listed.clab.yml",
      readFileSync(file, "utf8").replace("publish: [http/8080, tcp/7000]", "publish: [tcp/7000/alice@example.com]"),
    );
    const state = join(t.dir, `clab-${t.name}`, "share", "status.json");
    const r = lab(["share", "-t", listed, "--via", via(bastion), "--detach"], { env });
    expect(r.code).toBe(3);
    expect(errorLines(r.stderr).filter((l) => l.includes("ERROR"))).toEqual([
      expect.stringContaining(
        "node web publishes tcp/7000/alice@example.com for alice@example.com only, and your own SSH host cannot enforce an allow-list: nothing was shared",
      ),
    ]);
    // Refused before the sharer started: no share state, so nothing was forwarded.
    expect(existsSync(state) && JSON.parse(readFileSync(state, "utf8")).stoppedAt === undefined).toBe(false);
    const open = lab(["share", "-t", listed, "--via", via(bastion), "--public", "--detach"], { env });
    expect(open.code).toBe(0);
    expect(open.stdout).toContain("public: anyone who reaches the edge");
    expect(lab(["share", "stop", "-t", listed], { env }).code).toBe(0);
  });
});

/** A terminal of a console server over its WebSocket, as the page opens it (with the login). */
async function terminal(port: number, node: string, auth?: string) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/terminal/${node}/ws`, {
    headers: auth ? { authorization: `Basic ${Buffer.from(auth).toString("base64")}` } : {},
  } as unknown as string[]);
  ws.binaryType = "arraybuffer";
  let text = "";
  ws.addEventListener("message", (e) => {
    text += typeof e.data === "string" ? e.data : new TextDecoder().decode(e.data as ArrayBuffer);
  });
  const opened = await new Promise<boolean>((resolve) => {
    ws.addEventListener("open", () => resolve(true));
    ws.addEventListener("error", () => resolve(false));
    ws.addEventListener("close", () => resolve(false));
  });
  return {
    opened,
    output: () => text,
    type: (data: string) => ws.send(JSON.stringify({ type: "input", data })),
    close: () => ws.close(),
  };
}

describe("a shared console (lab share --console) through the own SSH host", () => {
  const consolePort = (env: Record<string, string>) =>
    status(env).sockets.find((x) => x.name.includes("lab-console"))?.status.edgePort as number;

  test("401 without the login; with it the page and a working terminal; share status names the session", async () => {
    const env = { ...envFor(bastion), LAB_CONSOLE_PASSWORD: "s3cret-console" };
    const r = lab(["share", "-t", file, "--via", via(bastion), "--console", "--detach"], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("console login: lab and the password given");
    const port = consolePort(env);
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(401);
    const auth = { authorization: `Basic ${Buffer.from("lab:s3cret-console").toString("base64")}` };
    expect((await fetch(`http://127.0.0.1:${port}/terminal/web`, { headers: auth })).status).toBe(200);
    expect((await terminal(port, "web")).opened).toBe(false);
    const term = await terminal(port, "web", "lab:s3cret-console");
    expect(term.opened).toBe(true);
    term.type("cat /etc/hostname\n");
    await waitFor(() => /\bweb\r?\n/.test(term.output()), 10_000, "the node's name in the terminal").catch((e) => {
      throw new Error(`${(e as Error).message}; the terminal showed ${JSON.stringify(term.output())}`);
    });
    // The heartbeat writes the sessions into the share's state (every 5 s).
    await waitFor(
      () => lab(["share", "status", "-t", file], { env }).stdout.includes("lab@"),
      15_000,
      "the session in lab share status",
    );
    const shown = lab(["share", "status", "-t", file], { env }).stdout;
    expect(shown).toMatch(/│ web +│ lab@127\.0\.0\.1 +│/);
    term.close();
    expect(lab(["share", "stop", "-t", file], { env }).code).toBe(0);
  }, 60_000);

  test("--read-only: the terminal shows output and drops what is typed", async () => {
    const env = { ...envFor(bastion), LAB_CONSOLE_PASSWORD: "s3cret-console" };
    expect(
      lab(["share", "-t", file, "--via", via(bastion), "--console", "--read-only", "--detach"], { env }).code,
    ).toBe(0);
    const term = await terminal(consolePort(env), "web", "lab:s3cret-console");
    expect(term.opened).toBe(true);
    term.type("echo typed-$((6*7))\n");
    // Nothing typed reaches the node: its echo never comes back (given a bounded second and a half).
    await Bun.sleep(1500);
    expect(term.output()).not.toContain("typed-42");
    term.close();
    expect(lab(["share", "stop", "-t", file], { env }).code).toBe(0);
  }, 60_000);

  test("lab graph --share: the page alone (no node port), published the same way", async () => {
    const env = { ...envFor(bastion), LAB_CONSOLE_PASSWORD: "s3cret-console" };
    const g = labStream(["graph", "-t", file, "--share", "--via", via(bastion)], env);
    try {
      await waitFor(() => g.stderr.some((l) => l.includes("sharing 1 ports")), 30_000, "the shared page");
      const sockets = status(env).sockets;
      expect(sockets.map((x) => x.name)).toEqual([expect.stringContaining("lab-console")]);
      const port = sockets[0]?.status.edgePort as number;
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(401);
      const auth = { authorization: `Basic ${Buffer.from("lab:s3cret-console").toString("base64")}` };
      expect(await (await fetch(`http://127.0.0.1:${port}/graph.json`, { headers: auth })).json()).toMatchObject({
        lab: t.name,
      });
    } finally {
      g.proc.kill("SIGINT");
      await g.proc.exited;
    }
  }, 60_000);

  test("a console share without a password makes one and shows it once", () => {
    const env = envFor(bastion);
    const r = lab(["share", "-t", file, "--via", via(bastion), "--console", "--detach"], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/console login: lab \/ \S{16} \(shown once\)/);
    expect(JSON.stringify(status(env))).not.toMatch(/password/i);
    expect(lab(["share", "stop", "-t", file], { env }).code).toBe(0);
  });
});

describe("on Podman", () => {
  test("a lab on Podman shares through the same bastion, and lab down closes it", async () => {
    const p = labDir("e2e-sshedge-pm", ENGINES.podman);
    const pm = freeSubnet();
    const env = { ...envFor(bastion), ...ENGINES.podman.env };
    try {
      const pmFile = p.write(
        "edge.clab.yml",
        `name: ${p.name}
mgmt: { network: ${p.name}, ipv4-subnet: ${pm.v4} }
topology:
  nodes:
    web: { image: lab-test/linux:1, cmd: httpd -f -p 8080 -h /var/www, publish: [http/8080] }
`,
      );
      expect(lab(["up", "-t", pmFile], { env }).code).toBe(0);
      const r = lab(["share", "-t", pmFile, "--via", via(bastion), "--detach"], { env });
      expect(r.code).toBe(0);
      const port = (
        JSON.parse(lab(["share", "status", "-t", pmFile, "--format", "json"], { env }).stdout) as {
          sockets: { status: { edgePort: number } }[];
        }
      ).sockets[0]?.status.edgePort as number;
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe("lab test node\n");
      expect(lab(["down", "-t", pmFile], { env }).code).toBe(0);
      expect(listening(port)).toBe("");
    } finally {
      p.cleanup();
    }
  });
});
