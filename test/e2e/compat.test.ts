// A Containerlab user's topology, deployed as Containerlab deploys it: link addresses (put on plain
// Linux nodes by lab), NOS interface names kept as alias and altname, names over 15 characters,
// stage hooks on the host and in the node, startup-configs and licences fetched over HTTP and scp,
// topologies fetched by URL and from a git repository.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort, labAsync, sh, shAsync } from "../helpers/env.ts";
import { errorLines, freeSubnet, labDir, leftovers } from "../helpers/lab.ts";
import { type Sshd, startSshd } from "../helpers/sshd.ts";

const t = labDir("e2e-compat");
const subnet = freeSubnet();
const longHost = `${t.name.slice(-6)}_very_long_host_if`;
let server: ReturnType<typeof Bun.serve>;
let sshd: Sshd;
let file = "";
let up: Awaited<ReturnType<typeof labAsync>>;

const inNode = (node: string, cmd: string) => sh(`docker exec clab-${t.name}-${node} sh -c '${cmd}'`);

beforeAll(async () => {
  // What the lab fetches: an HTTP server on 127.0.0.1 and an sshd with a user who has the files.
  mkdirSync(join(t.dir, "www"));
  writeFileSync(join(t.dir, "www", "license.key"), "LICENSE-OVER-HTTP\n");
  writeFileSync(
    join(t.dir, "www", "ceos.cfg"),
    "hostname {{ .ShortName }}\n! {{ range .Endpoints }}{{ .Name }} {{ .IPv4 }}{{ end }}\n",
  );
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: (req) => {
      const path = join(t.dir, "www", new URL(req.url).pathname);
      return existsSync(path) ? new Response(Bun.file(path)) : new Response("missing", { status: 404 });
    },
  });
  // Its host key is in the client's known_hosts, as after a first ssh to it.
  sshd = await startSshd({ knownHosts: true });
  writeFileSync(join(sshd.home, "srl.json"), '{ "system": { "name": { "host-name": "{{ .ShortName }}" } } }\n');
  sh(`chown ${sshd.user} ${sshd.home}/srl.json`);
  const www = `http://127.0.0.1:${server.port}`;
  file = t.write(
    "compat.clab.yml",
    `name: ${t.name}
mgmt: { network: ${t.name}, ipv4-subnet: ${subnet.v4}, ipv6-subnet: ${subnet.v6} }
topology:
  defaults: { image: lab-test/linux:1 }
  nodes:
    r1:
      stages:
        create-links:
          exec:
            - { command: "touch ${t.dir}/__clabNodeName__-links-done", target: host, phase: on-exit }
        configure:
          exec:
            on-enter: ["touch /tmp/configure-entered"]
    r2: {}
    stc: { kind: spirent_stc }
    ce:
      kind: ceos
      cmd: sleep 3600
      startup-config: ${www}/ceos.cfg
    srl:
      kind: srl
      cmd: sleep 3600
      license: ${www}/license.key
      startup-config: scp://${sshd.user}@127.0.0.1:${sshd.port}${sshd.home}/srl.json
  links:
    - endpoints: [r1:eth1, r2:eth1]
      ipv4: [10.11.0.1/30, 10.11.0.2/30]
      ipv6: [2001:db8:11::1/64, 2001:db8:11::2/64]
    - type: veth
      endpoints:
        - { node: r2, interface: eth2, ipv4: 10.12.0.1/24 }
        - { node: stc, interface: port1 }
    - endpoints: [r1:eth2, "host:${longHost}"]
      ipv4: [10.13.0.1/30, 10.13.0.2/30]
    - endpoints: [ce:eth1, r2:eth3]
      ipv4: [10.14.0.1/30, 10.14.0.2/30]
`,
  );
  up = await labAsync(["up", "-t", file], { env: { HOME: sshd.clientHome } });
}, 180_000);

afterAll(async () => {
  await labAsync(["down", "-t", file, "--cleanup"], { env: { HOME: sshd.clientHome } });
  server.stop(true);
  await sshd.stop();
  t.cleanup();
});

describe("a Containerlab topology with link addresses, NOS names and remote files", () => {
  test("deploys", () => {
    if (up.code !== 0) console.error(up.stderr);
    expect(up.code).toBe(0);
  });

  test("link addresses are on the plain Linux nodes' interfaces and carry traffic, v4 and v6", () => {
    expect(inNode("r1", "ip -4 addr show eth1").stdout).toContain("10.11.0.1/30");
    expect(inNode("r2", "ip -6 addr show eth1").stdout).toContain("2001:db8:11::2/64");
    expect(inNode("r1", "ping -c 1 -W 2 10.11.0.2").code).toBe(0);
    // lab adds link addresses without duplicate address detection: usable at once, never tentative.
    const global = inNode("r2", "ip -6 addr show eth1")
      .stdout.split("\n")
      .find((l) => l.includes("2001:db8:11::2"));
    expect(global).toBeDefined();
    expect(global).not.toContain("tentative");
    expect(inNode("r1", "ping -6 -c 1 -W 2 2001:db8:11::2").code).toBe(0);
    // The host end of a host link got its address too.
    expect(sh(`ip -4 addr show ${longHost}`).stdout).toContain("10.13.0.2/30");
    expect(inNode("r1", "ping -c 1 -W 2 10.13.0.2").code).toBe(0);
  });

  test("a linux node's eth0 has TX checksum offload off, as Containerlab's linux PostDeploy", () => {
    const pid = sh(`docker inspect -f '{{.State.Pid}}' clab-${t.name}-r1`).stdout.trim();
    expect(sh(`nsenter --net=/proc/${pid}/ns/net ethtool -k eth0`).stdout).toMatch(/^tx-checksumming: off/m);
  });

  test("a host interface name over 15 characters is reachable by its full name (an altname)", () => {
    const show = sh(`ip -j link show ${longHost}`);
    expect(show.code).toBe(0);
    const [dev] = JSON.parse(show.stdout) as { ifname: string; altnames?: string[] }[];
    expect(dev?.ifname).toMatch(/^clab-[0-9a-f]{8}$/);
    expect(dev?.altnames).toContain(longHost);
  });

  test("a NOS interface name maps to the Linux name and stays as alias and altname", () => {
    // The node's netns, seen with the host's iproute2 (the test image's busybox ip has no JSON).
    const show = JSON.parse(sh(`ip -n clab-${t.name}-stc -j -d link show eth1`).stdout) as {
      ifalias?: string;
      altnames?: string[];
    }[];
    expect(show[0]?.ifalias).toBe("port1");
    expect(show[0]?.altnames).toContain("port1");
    // kinds with their own configuration (here a traffic generator) get no address from lab.
    expect(inNode("stc", "ip -4 addr show eth1").stdout).not.toContain("inet ");
  });

  test("Spirent STC sees the fake cgroup v1 tree Containerlab gives it", () => {
    expect(inNode("stc", "readlink /sys/fs/cgroup/cpu").stdout.trim()).toBe("cpu,cpuacct");
    expect(inNode("stc", "cat /sys/fs/cgroup/cpuacct/cpu.shares").stdout.trim()).toBe("1024");
    expect(inNode("stc", "cat /cgroup/memory/memory.limit_in_bytes").stdout.trim()).toBe("4294967296");
    expect(inNode("stc", "cat /sys/fs/cgroup/devices/devices.list").stdout.trim()).toBe("a *:* rwm");
  });

  test("stage hooks ran on the host (magic variables replaced) and in the node", () => {
    expect(existsSync(join(t.dir, "r1-links-done"))).toBe(true);
    expect(inNode("r1", "ls /tmp/configure-entered").code).toBe(0);
  });

  test("a startup-config over HTTP is rendered with the node's links; one over scp lands as SR Linux reads it", () => {
    expect(readFileSync(join(t.dir, `clab-${t.name}`, "ce", "flash", "startup-config"), "utf8")).toBe(
      "hostname ce\n! eth1 10.14.0.1/30\n",
    );
    expect(inNode("srl", "cat /etc/opt/srlinux/config.json").stdout).toContain('"host-name": "srl"');
    expect(inNode("srl", "cat /opt/srlinux/etc/license.key").stdout).toBe("LICENSE-OVER-HTTP\n");
  });

  test("topology-data.json and the inventories hold the addresses and nodes", () => {
    const labDirPath = join(t.dir, `clab-${t.name}`);
    const data = JSON.parse(readFileSync(join(labDirPath, "topology-data.json"), "utf8"));
    expect(data.links[0].endpoints.a).toMatchObject({ node: "r1", interface: "eth1", ipv4: "10.11.0.1/30" });
    expect(data.links[1].endpoints.z).toMatchObject({ node: "stc", interface: "eth1" });
    expect(readFileSync(join(labDirPath, "ansible-inventory.yml"), "utf8")).toContain(
      `    spirent_stc:\n      hosts:\n        clab-${t.name}-stc:`,
    );
    expect(readFileSync(join(labDirPath, "nornir-simple-inventory.yml"), "utf8")).toContain("r1:\n    username: \n");
  });
});

describe("remote topologies and bad remote input", () => {
  test("-t an http URL, and -t a GitLab-style repository URL served by a local git server", async () => {
    const repo = join(t.dir, "git", "gitlab-team", "labs");
    const work = join(t.dir, "git-work");
    const topo = `name: remote-${t.name.slice(-6)}\ntopology:\n  nodes:\n    a: { kind: linux, image: lab-test/linux:1 }\n`;
    mkdirSync(join(work, "sub"), { recursive: true });
    writeFileSync(join(work, "sub", "r.clab.yml"), topo);
    expect(
      sh(
        `cd ${work} && git init -q -b main && git add -A && git -c user.email=t@t -c user.name=t commit -qm t && git clone -q --bare ${work} ${repo} && git -C ${repo} update-server-info`,
      ).code,
    ).toBe(0);
    const git = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: (req) => {
        const path = join(t.dir, "git", new URL(req.url).pathname);
        return existsSync(path) ? new Response(Bun.file(path)) : new Response("missing", { status: 404 });
      },
    });
    writeFileSync(join(t.dir, "www", "plain.clab.yml"), topo);
    const cwd = join(t.dir, "clones");
    mkdirSync(cwd);
    try {
      const byUrl = await labAsync(["validate", "-t", `http://127.0.0.1:${server.port}/plain.clab.yml`]);
      expect(byUrl.code).toBe(0);
      const url = `http://127.0.0.1:${git.port}/gitlab-team/labs/-/blob/main/sub/r.clab.yml`;
      const byRepo = await labAsync(["validate", "-t", url], { cwd });
      if (byRepo.code !== 0) console.error(byRepo.stderr);
      expect(byRepo.code).toBe(0);
      expect(existsSync(join(cwd, "labs", "sub", "r.clab.yml"))).toBe(true);
      // A second run updates the clone instead of cloning again.
      expect((await labAsync(["validate", "-t", url], { cwd })).code).toBe(0);
    } finally {
      git.stop(true);
    }
  }, 60_000);

  test("an unreachable startup-config URL, a missing scp file, a reused address: one line, nothing created", async () => {
    const port = await freePort();
    const name = `${t.name}-bad`;
    const cases: [string, string, string][] = [
      [
        `a: { kind: ceos, startup-config: "http://127.0.0.1:${port}/x.cfg" }`,
        "",
        `cannot fetch http://127.0.0.1:${port}/x.cfg`,
      ],
      [
        `a: { kind: ceos, startup-config: "scp://${sshd.user}@127.0.0.1:${sshd.port}/nope/x.cfg" }`,
        "",
        `cannot fetch scp://${sshd.user}@127.0.0.1:${sshd.port}/nope/x.cfg`,
      ],
      [
        "a: {}\n    b: {}",
        "  links:\n    - endpoints: [a:eth1, b:eth1]\n      ipv4: [10.9.0.1/24, 10.9.0.1/24]\n",
        "address 10.9.0.1 of b:eth1 is also the address of a:eth1",
      ],
    ];
    for (const [nodes, links, message] of cases) {
      const f = t.write(
        "bad.clab.yml",
        `name: ${name}\ntopology:\n  defaults: { image: lab-test/linux:1 }\n  nodes:\n    ${nodes}\n${links}`,
      );
      const r = await labAsync(["up", "-t", f], { env: { HOME: sshd.clientHome } });
      expect(r.code).not.toBe(0);
      expect(errorLines(r.stderr).filter((l) => !l.startsWith("WARN"))).toHaveLength(1);
      expect(r.stderr).toContain(message);
      expect(leftovers(name).containers).toBe("");
      expect(existsSync(join(t.dir, `clab-${name}`))).toBe(false);
    }
    const r = await shAsync(`ls /run/netns | grep -c -- '-${name}-' || true`);
    expect(r.stdout.trim()).toBe("0");
  }, 60_000);
});

describe("several topologies in one directory", () => {
  test("on a terminal lab asks which one; without one it says which files are there", () => {
    const d = join(t.dir, "pick");
    mkdirSync(d);
    writeFileSync(join(d, "a.clab.yml"), "name: pa\ntopology:\n  nodes:\n    a: { image: lab-test/linux:1 }\n");
    writeFileSync(join(d, "b.clab.yml"), "name: pb\ntopology:\n  nodes:\n    b: { image: lab-test/linux:1 }\n");
    const bin = process.env.LAB_BIN ?? "dist/lab";
    // `script` gives lab a terminal; the answer comes once the question is out.
    const picked = sh(
      `cd ${d} && (sleep 1; echo 2) | script -qec "NO_COLOR=1 ${bin} validate --format json" /dev/null`,
    );
    expect(picked.stdout).toContain("Which one [1-2]?");
    expect(picked.stdout).toContain('"name": "pb"');
    const plain = sh(`cd ${d} && ${bin} validate </dev/null`);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain("more than one topology file");
    expect(plain.stderr).toContain("a.clab.yml, b.clab.yml");
  });
});
