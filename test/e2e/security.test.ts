// The host boundary, tested as a reviewer would: topology text never becomes a command, downloads
// land where only the user can write, host keys are checked, a token beside a topology must be the
// user's own, and the graph server answers only its own name. Each refusal is one line, and the
// host is compared before and after: no process, network namespace, interface or file appears.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chownSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort, lab, labAsync, labStream, sh, waitFor } from "../helpers/env.ts";
import { errorLines, freeSubnet, labDir } from "../helpers/lab.ts";
import { type Sshd, startSshd } from "../helpers/sshd.ts";

const t = labDir("e2e-sec");
const subnet = freeSubnet();
const MARKER = `/tmp/labsec-${t.name}`;

/** What a run could leave on the host: interfaces, namespaces, the marker file, the lab's containers. */
function hostState() {
  return {
    links: sh("ip -o link show | awk -F': ' '{print $2}' | sort").stdout,
    netns: sh("ip netns list | sort").stdout,
    marker: existsSync(MARKER) || existsSync(`${MARKER}-x`),
    containers: sh(`docker ps -aq --filter name=${t.name}`).stdout.trim(),
  };
}

// Each field that reaches the kernel or a command line, as a topology writes it; `v` is the value.
// `limited`: a kernel name of at most 15 bytes; `nos`: a NOS port name, which may hold spaces (lab and
// Containerlab give such a name an altname with "-" for " ").
const FIELDS: Record<string, { yaml: (v: string) => string; limited?: boolean; nos?: boolean }> = {
  "host-interface": {
    yaml: (v) =>
      `links:\n    - type: host\n      endpoint: { node: n1, interface: eth1 }\n      host-interface: ${v}\n`,
  },
  "brief host end": {
    yaml: (v) => `links:\n    - endpoints: ["n1:eth1", ${JSON.stringify(`host:${JSON.parse(v)}`)}]\n`,
  },
  "endpoint interface": {
    nos: true,
    yaml: (v) =>
      `links:\n    - type: veth\n      endpoints: [{ node: n1, interface: ${v} }, { node: n2, interface: eth1 }]\n`,
  },
  "brief endpoint": {
    nos: true,
    yaml: (v) => `links:\n    - endpoints: [${JSON.stringify(`n1:${JSON.parse(v)}`)}, "n2:eth1"]\n`,
  },
  "vxlan parent-interface": {
    limited: true,
    yaml: (v) =>
      `links:\n    - type: vxlan\n      endpoint: { node: n1, interface: eth1 }\n      remote: 192.0.2.1\n      vni: 100\n      dst-port: 4789\n      parent-interface: ${v}\n`,
  },
  "vxlan remote": {
    yaml: (v) =>
      `links:\n    - type: vxlan\n      endpoint: { node: n1, interface: eth1 }\n      remote: ${v}\n      vni: 100\n      dst-port: 4789\n`,
  },
  "macvlan parent": {
    yaml: (v) =>
      `links:\n    - type: macvlan\n      endpoint: { node: n1, interface: eth1 }\n      host-interface: ${v}\n`,
  },
  "mgmt bridge": { limited: true, yaml: (v) => `MGMT bridge: ${v}` },
  "mgmt network": { yaml: (v) => `MGMT network: ${v}` },
  "node name": { yaml: (v) => `NODE ${v}: {}` },
  "bridge node": { limited: true, yaml: (v) => `NODE ${v}: { kind: bridge }` },
  "network-mode container": {
    yaml: (v) => `NODE n3: { network-mode: ${JSON.stringify(`container:${JSON.parse(v)}`)} }`,
  },
  "lab name": { yaml: (v) => `NAME ${v}` },
};

const NASTY: [string, string][] = [
  ["a newline with an ip -batch command", "h1\nnetns add labsecx"],
  ["a NUL", "h1\0x"],
  ["a space", "h 1"],
  ["a semicolon", "h1;touch /tmp/x"],
  ["a command substitution", `$(touch ${MARKER})`],
  ["a backtick", `\`touch ${MARKER}\``],
  ["a parent directory", ".."],
  ["16 bytes", "abcdefghijklmnop"],
  ["non-ASCII", "eth1é"],
];

function topology(field: string, value: string): string {
  const v = JSON.stringify(value);
  const piece = (FIELDS[field] as { yaml: (v: string) => string }).yaml(v);
  const mgmt = piece.startsWith("MGMT ") ? `, ${piece.slice(5)}` : "";
  const node = piece.startsWith("NODE ") ? `    ${piece.slice(5)}\n` : "";
  const name = piece.startsWith("NAME ") ? piece.slice(5) : t.name;
  const links = piece.startsWith("links:") ? `  ${piece}` : "";
  return `name: ${name}
mgmt: { network: ${t.name}, ipv4-subnet: ${subnet.v4}${mgmt} }
topology:
  defaults: { image: lab-test/linux:1 }
  nodes:
    n1: {}
    n2: {}
${node}${links}`;
}

afterAll(() => {
  t.cleanup();
  rmSync(MARKER, { force: true });
});

describe("topology text is data: every checked field refuses the nasty names", () => {
  const cases = Object.keys(FIELDS).flatMap((field) =>
    NASTY.filter(
      ([what]) => (what !== "16 bytes" || FIELDS[field]?.limited) && (what !== "a space" || !FIELDS[field]?.nos),
    ).map(([what, value]) => [field, what, value] as const),
  );
  test(`${cases.length} cases through lab validate and lab up: each refused with file:line, nothing on the host`, () => {
    const before = hostState();
    const problems: string[] = [];
    for (const [field, what, value] of cases) {
      const file = t.write("sec.clab.yml", topology(field, value));
      for (const verb of ["validate", "up"]) {
        const r = lab([verb, "-t", file]);
        const errors = errorLines(r.stderr).filter((l) => l.includes("ERROR"));
        if (r.code !== 3 || errors.length !== 1 || !/sec\.clab\.yml:\d+:\d+: /.test(errors[0] ?? ""))
          problems.push(`${field} with ${what}: lab ${verb} exited ${r.code}: ${r.stderr.trim().split("\n")[0]}`);
      }
    }
    expect(problems).toEqual([]);
    expect(hostState()).toEqual(before);
  });

  test("the error names the field, the value as written and the rule it breaks", () => {
    const file = t.write("sec.clab.yml", topology("host-interface", "h1\nnetns add labsecx"));
    const r = lab(["validate", "-t", file]);
    const errors = errorLines(r.stderr).filter((l) => l.includes("ERROR"));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /sec\.clab\.yml:\d+:23: topology\.links\[0\]\.host-interface: "h1\\nnetns add labsecx" is not a host interface name: it holds a control character/,
    );
  });

  test("lab validate --format json lists every command the topology runs on the host", () => {
    const file = t.write(
      "hooks.clab.yml",
      `name: ${t.name}\ntopology:\n  nodes:\n    n1:\n      image: lab-test/linux:1\n      stages:\n        create:\n          exec:\n            - { command: "touch /tmp/from-host", target: host, phase: on-exit }\n            - { command: "echo in-node", phase: on-enter }\n`,
    );
    const plan = JSON.parse(lab(["validate", "-t", file, "--format", "json"]).stdout);
    expect(plan.hostCommands).toEqual([
      { node: "n1", stage: "create", phase: "on-exit", command: "touch /tmp/from-host" },
    ]);
  });
});

describe("lab tools arguments are checked the same way", () => {
  test.each([
    ["veth", ["tools", "veth", "create", "-a", "n1:eth1;x", "-b", "host:h1"]],
    ["veth host end", ["tools", "veth", "create", "-a", "clab-x-n1:eth1", "-b", "host:$(id)"]],
    ["vxlan link", ["tools", "vxlan", "create", "--remote", "192.0.2.1", "--id", "5", "--link", "a\nb"]],
    ["vxlan remote", ["tools", "vxlan", "create", "--remote", "$(id)", "--id", "5", "--link", "h1"]],
    ["vxlan delete", ["tools", "vxlan", "delete", "--name", "../../x"]],
    ["netem node", ["tools", "netem", "show", "-n", "x;id"]],
    ["tx offload", ["tools", "disable-tx-offload", "-c", "`id`"]],
  ])("%s: one usage line, exit 2", (_what, args) => {
    const before = hostState();
    const r = lab(args);
    expect(r.code).toBe(2);
    expect(errorLines(r.stderr).filter((l) => l.includes("ERROR"))).toHaveLength(1);
    expect(hostState()).toEqual(before);
  });
});

describe("scp:// sources: the path is one word on the far side, host keys are checked", () => {
  let sshd: Sshd;
  const cfg = (path: string) => `scp://${sshd.user}@127.0.0.1:${sshd.port}${path}`;
  const topo = (startup: string) =>
    t.write(
      "scp.clab.yml",
      `name: ${t.name}\ntopology:\n  nodes:\n    n1: { image: lab-test/linux:1, startup-config: ${JSON.stringify(startup)} }\n`,
    );
  const env = () => ({ HOME: sshd.clientHome, XDG_CACHE_HOME: join(t.dir, "cache"), SSH_AUTH_SOCK: "" });

  beforeAll(async () => {
    sshd = await startSshd({ knownHosts: true });
    writeFileSync(join(sshd.home, "cfg.txt"), "hostname from-scp\n");
    sh(`chown ${sshd.user} ${join(sshd.home, "cfg.txt")}`);
  });
  afterAll(() => sshd?.stop());

  test("a path with $( ) reaches scp as a file name: nothing runs on the far host", () => {
    const r = lab(["validate", "-t", topo(cfg(`/tmp/cfg$(touch%20${MARKER}-x)`))], { env: env() });
    expect(r.code).not.toBe(0);
    expect(errorLines(r.stderr).filter((l) => l.includes("ERROR"))).toHaveLength(1);
    expect(existsSync(`${MARKER}-x`)).toBe(false);
    // A real file of that host is fetched, into the user's private cache.
    const ok = lab(["validate", "-t", topo(cfg(`${sshd.home}/cfg.txt`))], { env: env() });
    expect(ok.code).toBe(0);
    expect(sh(`stat -c %a ${join(t.dir, "cache", "lab")}`).stdout.trim()).toBe("700");
  });

  test("an unknown host key refuses; --accept-new-host-key records it; a changed one refuses even then", () => {
    const known = join(sshd.clientHome, ".ssh", "known_hosts");
    rmSync(known, { force: true });
    const file = topo(cfg(`${sshd.home}/cfg.txt`));
    const unknown = lab(["validate", "-t", file], { env: env() });
    expect(unknown.code).toBe(8);
    expect(unknown.stderr).toContain(`is not in ${known}: refusing an unknown host key`);
    const accepted = lab(["validate", "-t", file, "--accept-new-host-key"], { env: env() });
    expect(accepted.code).toBe(0);
    expect(readFileSync(known, "utf8")).toContain(`[127.0.0.1]:${sshd.port} ssh-ed25519`);
    // Another key recorded for that host: someone in the middle, or a reinstalled host.
    const other = sh(`ssh-keygen -q -t ed25519 -N '' -f ${t.dir}/other <<<y >/dev/null; cat ${t.dir}/other.pub`).stdout;
    writeFileSync(known, `[127.0.0.1]:${sshd.port} ${other.split(" ").slice(0, 2).join(" ")}\n`);
    const changed = lab(["validate", "-t", file, "--accept-new-host-key"], { env: env() });
    expect(changed.code).toBe(8);
    expect(errorLines(changed.stderr).filter((l) => l.includes("ERROR"))).toEqual([
      expect.stringContaining(`does not match ${known}: refusing to connect`),
    ]);
  });
});

describe("downloads land where only the user can write", () => {
  let server: ReturnType<typeof Bun.serve>;
  let url = "";
  const cache = join(t.dir, "dl-cache");
  const env = { XDG_CACHE_HOME: cache };

  beforeAll(() => {
    const text = `name: ${t.name}\ntopology:\n  nodes:\n    n1: { image: lab-test/linux:1 }\n`;
    server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response(text) });
    url = `http://127.0.0.1:${server.port}/dl.clab.yml`;
  });
  afterAll(() => server?.stop(true));

  test("a symlink planted where lab's directory goes: refused in one line, never followed", async () => {
    rmSync(cache, { recursive: true, force: true });
    mkdirSync(cache);
    const elsewhere = join(t.dir, "elsewhere");
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(cache, "lab"));
    const r = await labAsync(["validate", "-t", url], { env });
    expect(r.code).toBe(6);
    expect(errorLines(r.stderr).filter((l) => l.includes("ERROR"))).toEqual([
      expect.stringContaining(`${join(cache, "lab")} is a symlink; lab does not follow it`),
    ]);
    expect(sh(`ls -A ${elsewhere}`).stdout).toBe("");
  });

  test("a directory another user owns: refused in one line", async () => {
    rmSync(cache, { recursive: true, force: true });
    mkdirSync(join(cache, "lab"), { recursive: true, mode: 0o700 });
    chownSync(join(cache, "lab"), 65534, 65534);
    const r = await labAsync(["validate", "-t", url], { env });
    expect(r.code).toBe(6);
    expect(r.stderr).toContain("belongs to user 65534, not to you");
  });

  test("a symlink planted at the file's own name is replaced, not written through", async () => {
    rmSync(cache, { recursive: true, force: true });
    expect((await labAsync(["validate", "-t", url], { env })).code).toBe(0);
    const victim = join(t.dir, "victim");
    writeFileSync(victim, "untouched\n");
    const target = join(cache, "lab", "topologies", "dl.clab.yml");
    rmSync(target);
    symlinkSync(victim, target);
    expect((await labAsync(["validate", "-t", url], { env })).code).toBe(0);
    expect(readFileSync(victim, "utf8")).toBe("untouched\n");
    expect(sh(`stat -c '%F %a' ${target}`).stdout.trim()).toBe("regular file 600");
  });
});

describe("a token file beside the topology must be the user's own and private", () => {
  test("mode 0644: ignored with one line saying why; nothing shared", () => {
    const dir = join(t.dir, "tok");
    mkdirSync(dir, { recursive: true });
    const file = join(dir, "tok.clab.yml");
    writeFileSync(
      file,
      `name: ${t.name}\ntopology:\n  nodes:\n    web: { image: lab-test/linux:1, publish: [tcp/22] }\n`,
    );
    writeFileSync(join(dir, ".mysocketio_token"), "a.b.c\n", { mode: 0o644 });
    sh(`chmod 644 ${join(dir, ".mysocketio_token")}`);
    const empty = join(t.dir, "empty-config");
    const r = lab(["share", "-t", file, "--provider", "mysocket"], {
      env: { XDG_CONFIG_HOME: empty, HOME: empty, MYSOCKET_API: "http://127.0.0.1:9" },
    });
    expect(r.code).toBe(8);
    expect(r.stderr).toContain(
      `ignoring the mysocket token in ${join(dir, ".mysocketio_token")}: others may read it (mode 644)`,
    );
    expect(errorLines(r.stderr).filter((l) => l.includes("ERROR"))).toEqual([
      expect.stringContaining("no mysocket token"),
    ]);
    expect(existsSync(join(dir, `clab-${t.name}`, "share"))).toBe(false);
  });
});

describe("lab graph answers only its own name", () => {
  test("Host evil.example: 421; its own address: 200; no CORS headers", async () => {
    const file = t.write("g.clab.yml", `name: ${t.name}\ntopology:\n  nodes:\n    n1: { image: lab-test/linux:1 }\n`);
    const port = await freePort();
    const g = labStream(["graph", "-t", file, "--offline", "--srv", `127.0.0.1:${port}`]);
    try {
      await waitFor(() => g.stderr.some((l) => l.includes("serving its picture")), 20_000, "the graph server");
      const curl = (host: string) =>
        sh(`curl -s -o /dev/null -D - -w '%{http_code}' -H 'Host: ${host}' http://127.0.0.1:${port}/graph.json`).stdout;
      expect(curl("evil.example")).toEndWith("421");
      expect(curl(`evil.example:${port}`)).toEndWith("421");
      const own = curl(`127.0.0.1:${port}`);
      expect(own).toEndWith("200");
      expect(own.toLowerCase()).not.toContain("access-control-allow");
    } finally {
      g.proc.kill("SIGINT");
      await g.proc.exited;
    }
  });

  test("beyond loopback: a per-run token, printed with the URL; without it 403", async () => {
    const file = t.write("g.clab.yml", `name: ${t.name}\ntopology:\n  nodes:\n    n1: { image: lab-test/linux:1 }\n`);
    const port = await freePort();
    const g = labStream(["graph", "-t", file, "--offline", "--srv", `0.0.0.0:${port}`]);
    try {
      await waitFor(() => g.stderr.some((l) => l.includes("?token=")), 20_000, "the URL with its token");
      const token = /\?token=([\w-]+)/.exec(g.stderr.join("\n"))?.[1];
      expect(g.stderr.join("\n")).toContain("serving beyond loopback (0.0.0.0): the page needs the token");
      const code = (path: string) =>
        sh(`curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:${port}${path}`).stdout;
      expect(code("/graph.json")).toBe("403");
      expect(code(`/graph.json?token=${token}`)).toBe("200");
    } finally {
      g.proc.kill("SIGINT");
      await g.proc.exited;
    }
  });
});

describe("terminals beyond loopback", () => {
  test("--no-auth serves the page open but no terminal: a shell needs a credential", async () => {
    const file = t.write("g.clab.yml", `name: ${t.name}\ntopology:\n  nodes:\n    n1: { image: lab-test/linux:1 }\n`);
    const port = await freePort();
    const g = labStream(["graph", "-t", file, "--offline", "--no-auth", "--srv", `0.0.0.0:${port}`]);
    try {
      await waitFor(() => g.stderr.some((l) => l.includes("serving its picture")), 20_000, "the graph server");
      const code = (path: string) =>
        sh(`curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:${port}${path}`).stdout;
      expect(code("/graph.json")).toBe("200");
      expect(code("/terminal/n1")).toBe("404");
      const ws = sh(
        `curl -s -o /dev/null -w '%{http_code}' -H 'Connection: Upgrade' -H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' http://127.0.0.1:${port}/terminal/n1/ws`,
      ).stdout;
      expect(ws).toBe("404");
    } finally {
      g.proc.kill("SIGINT");
      await g.proc.exited;
    }
  });
});

test("a password given in argv still works, with docker login's warning", async () => {
  const r = await labAsync(["images", "ls", "127.0.0.1:9", "--creds", "u:secret", "--insecure"]);
  expect(r.stderr).toContain("WARNING! A password in --creds is visible to other users of this host");
  expect(r.stderr).not.toContain("secret");
});
