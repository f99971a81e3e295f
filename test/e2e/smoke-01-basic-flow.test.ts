// Containerlab's tests/01-smoke/01-basic-flow.robot, case by case, against lab on Docker with the
// same topology (01-linux-nodes.clab.yml) on local stand-in images (scripts/test-env.sh). Each test
// is named after the .robot case it follows; what the case checks comes from the .robot file.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lab, sh, waitFor } from "../helpers/env.ts";
import { testIf } from "../helpers/skip.ts";

const labName = "2-linux-nodes";
const labFile = "01-linux-nodes.clab.yml";
const n2ipv4 = "172.20.20.100/24";
const n2ipv6 = "3fff:172:20:20::100/64";
const cname = (n: string) => `clab-${labName}-${n}`;
const execOutput = (n: string) => `Executed command node=${cname(n)} command="uname -n"\n  stdout=\n  │ ${n}`;

const topology = `name: ${labName}

topology:
  nodes:
    l1:
      kind: linux
      image: lab-test/alpine:3
      cmd: ash -c "echo $MYVAR > /tmp/var && sleep 9999"
      binds:
        - 01-test.txt:/01-test.txt
        - 01-test.json:/test.json
      env:
        MYVAR: MYVAR is SET
      exec:
        - echo this_is_an_exec_test
        - cat /etc/os-release
      cpu: 1.5
      memory: 1G
      mgmt-ipv4: 172.20.20.99
      mgmt-ipv6: 3fff:172:20:20::99
      healthcheck:
        test:
          - CMD-SHELL
          - cat /etc/os-release
        start-period: 3
        retries: 1
        interval: 5
        timeout: 2

    l2:
      kind: linux
      image: lab-test/nginx:1
      ports:
        - 56180:80
      mgmt-ipv4: 172.20.20.100
      mgmt-ipv6: 3fff:172:20:20::100
      aliases:
        - l2.mydomain.com
      dns:
        servers:
          - 8.8.8.8
          - 1.2.3.4
        search:
          - my.domain
        options:
          - rotate
    l3:
      kind: linux
      image: lab-test/nginx:1
      network-mode: host

  links:
    - endpoints: ["l1:eth1", "l2:some1"]
      mtu: 2000
    - endpoints: ["l1:eth2", "l2:eth2"]
    - type: veth
      endpoints:
        - node: l1
          interface: eth3
          mac: 02:00:00:00:00:00
        - node: l2
          interface: eth3
          mac: 02:00:00:00:00:01

    - type: host
      host-interface: l2eth4
      endpoint:
        node: l2
        interface: eth4
        mac: 02:00:00:00:00:04

    - type: mgmt-net
      host-interface: l2eth5mgmt
      endpoint:
        node: l2
        interface: eth5
        mac: 02:00:00:00:00:05

    - type: dummy
      endpoint:
        node: l2
        interface: somedummy
`;

const dir = mkdtempSync(join(tmpdir(), "smoke-01-"));
const file = join(dir, labFile);
const run = (args: string[], env: Record<string, string> = {}) => lab(args, { env, cwd: dir });
const inNode = (n: string, cmd: string) => sh(`docker exec ${cname(n)} ${cmd}`);
const backups = () => readdirSync("/tmp/.clab/bak").filter((f) => f.includes(labFile));
let deploy: { code: number; stdout: string; stderr: string };
let hostsBefore = 0;
let mgmtBridge = "";

beforeAll(() => {
  // A lab of this name left by an earlier, interrupted run would make every count below wrong.
  run(["destroy", "--name", labName, "--cleanup"]);
  for (const f of (() => {
    try {
      return backups();
    } catch {
      return [];
    }
  })())
    rmSync(join("/tmp/.clab/bak", f), { force: true });
  writeFileSync(file, topology);
  writeFileSync(join(dir, "01-test.txt"), "Hello, containerlab\n");
  writeFileSync(join(dir, "01-test.json"), '{\n    "containerlab": "is cool"\n}\n');
});

afterAll(() => {
  run(["destroy", "-t", file, "--cleanup"]);
  for (const f of backups()) rmSync(join("/tmp/.clab/bak", f), { force: true });
  rmSync(dir, { recursive: true, force: true });
});

describe("01-basic-flow.robot", () => {
  test("Verify number of Hosts entries before deploy", () => {
    hostsBefore = Number(sh("cat /etc/hosts | wc -l").stdout.trim());
    expect(hostsBefore).toBeGreaterThan(0);
  });

  test("Deploy ${lab-name} lab", () => {
    deploy = run(["--runtime", "docker", "deploy", "-t", file]);
    expect(deploy.code).toBe(0);
  });

  test("Verify topology backup file is created", () => {
    const files = backups();
    expect(files).toHaveLength(1);
    expect(files[0]).toContain(labFile);
    expect(readFileSync(join("/tmp/.clab/bak", files[0] as string), "utf8")).toBe(readFileSync(file, "utf8"));
  });

  test("Ensure exec node option works", () => {
    const output = deploy.stdout + deploy.stderr;
    expect(output).toContain("this_is_an_exec_test");
    expect(output).toContain("ID=alpine");
  });

  test("Exec command with no filtering", () => {
    const r = run(["--runtime", "docker", "exec", "-t", file, "--cmd", "uname -n"]);
    expect(r.code).toBe(0);
    const output = r.stdout + r.stderr;
    expect(output).toContain(execOutput("l1"));
    expect(output).toContain(execOutput("l2"));
    expect(output).toContain(execOutput("l3").replace("│ l3", `│ ${sh("uname -n").stdout.trim()}`));
  });

  test("Exec command with filtering", () => {
    const r = run(["--runtime", "docker", "exec", "-t", file, "--label", "clab-node-name=l1", "--cmd", "uname -n"]);
    expect(r.code).toBe(0);
    const output = r.stdout + r.stderr;
    expect(output).toContain(execOutput("l1"));
    expect(output).not.toContain("stdout=\n  │ l2");
  });

  test("Exec command with json output and filtering", () => {
    const r = sh(
      `cd ${dir} && ${process.env.LAB_BIN ?? "lab"} --runtime docker exec -t ${file} --label clab-node-name=l1 --format json --cmd 'cat /test.json' | jq '.[][0].stdout.containerlab'`,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("is cool");
  });

  test("Ensure CLAB_INTFS env var is set", () => {
    const r = run([
      "--runtime",
      "docker",
      "exec",
      "-t",
      file,
      "--label",
      "clab-node-name=l1",
      "--cmd",
      'ash -c "echo $CLAB_INTFS"',
    ]);
    expect(r.code).toBe(0);
    // l1 has three interfaces in the topology; exec logs on stderr.
    expect(r.stderr).toContain("stdout=\n  │ 3");
  });

  test("Ensure default no_proxy env var is set", () => {
    const r = run([
      "--runtime",
      "docker",
      "exec",
      "-t",
      file,
      "--label",
      "clab-node-name=l1",
      "--cmd",
      'ash -c "echo $NO_PROXY"',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      "localhost,127.0.0.1,::1,*.local,172.20.20.0/24,172.20.20.100,172.20.20.99,3fff:172:20:20::/64,3fff:172:20:20::100,3fff:172:20:20::99,l1,l2,l3",
    );
  });

  test("Inspect ${lab-name} lab using its name and via viper env vars", () => {
    const r = run(["--runtime", "docker", "inspect"], { CLAB_NAME: labName });
    expect(r.code).toBe(0);
  });

  test("Inspect Lab Using JSON Format", () => {
    const r = run(["--runtime", "docker", "inspect", "-t", file, "--format", "json"], { CLAB_INSPECT_FORMAT: "table" });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as Record<string, { name: string; kind: string; ipv4_address: string }[]>;
    const nodes = json[labName] ?? [];
    expect(nodes).toHaveLength(3);
    expect(nodes[0]?.name).toBe(cname("l1"));
    expect(nodes[1]?.kind).toBe("linux");
    expect(nodes[1]?.ipv4_address).toBe(n2ipv4);
  });

  test("Inspect Lab Using Details Flag", () => {
    const r = run(["--runtime", "docker", "inspect", "-t", file, "--details"]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as Record<
      string,
      {
        Names: string[];
        Image: string;
        State: string;
        Labels: Record<string, string>;
        NetworkSettings: { IPv4addr: string };
      }[]
    >;
    const nodes = json[labName] ?? [];
    expect(nodes).toHaveLength(3);
    for (const key of ["Names", "Image", "State", "Labels"]) expect(nodes[0]).toHaveProperty(key);
    expect(nodes[0]?.Names[0]).toBe(cname("l1"));
    expect(nodes[0]?.State).toBe("running");
    expect(nodes[0]?.Labels["clab-node-name"]).toBe("l1");
    expect(nodes[1]?.NetworkSettings.IPv4addr).toBe("172.20.20.100");
  });

  test("Inspect Lab Using CSV Format", () => {
    const r = run(["--runtime", "docker", "inspect", "-t", file, "--format", "csv"]);
    expect(r.code).toBe(0);
    const rows = r.stdout
      .trimEnd()
      .split("\n")
      .map((l) => l.split(","));
    expect(rows.length - 1).toBe(3);
    expect(rows[1]?.[3]).toBe(cname("l1"));
    expect(rows[1]?.[6]).toBe("linux");
    expect(rows[2]?.[9]).toBe(n2ipv4);
  });

  // "Define runtime exec command" only picks `docker exec` or `podman exec` for the cases below.

  test("Verify links in node l1", () => {
    const eth1 = inNode("l1", "ip link show eth1").stdout;
    expect(eth1).toContain("state UP");
    expect(eth1).toContain("2000");
    const eth2 = inNode("l1", "ip link show eth2").stdout;
    expect(eth2).toContain("state UP");
    expect(eth2).toContain("9500");
    const eth3 = inNode("l1", "ip link show eth3").stdout;
    expect(eth3).toContain("state UP");
    expect(eth3).toContain("02:00:00:00:00:00");
  });

  test("Verify links in node l2", () => {
    expect(inNode("l2", "ip link show some1").stdout).toContain("state UP");
    expect(inNode("l2", "ip link show eth2").stdout).toContain("state UP");
    for (const [i, mac] of [
      ["eth3", "02:00:00:00:00:01"],
      ["eth4", "02:00:00:00:00:04"],
      ["eth5", "02:00:00:00:00:05"],
    ]) {
      const out = inNode("l2", `ip link show ${i}`).stdout;
      expect(out).toContain("state UP");
      expect(out).toContain(mac as string);
    }
  });

  // The case's last check reads a `dummy` interface's LOWER_UP, which needs the kernel's dummy module.
  testIf(
    sh("ip link add lab-dummy-probe type dummy && ip link del lab-dummy-probe").code === 0,
    "no dummy kernel module",
  )("Verify links in node l2 (somedummy)", () => {
    expect(inNode("l2", "ip link show somedummy").stdout).toContain("LOWER_UP");
  });

  test("Verify links on host", () => {
    expect(sh("ip link show l2eth4").stdout).toContain("state UP");
    expect(sh("ip link show l2eth5mgmt").stdout).toContain("state UP");
  });

  test('Ensure "inspect all" outputs IP addresses', () => {
    const r = run(["--runtime", "docker", "inspect", "--all"]);
    expect(r.code).toBe(0);
    // Robot's Get Line -6 and -5 of the output: l2's IPv4 and IPv6 lines, split on the table's │.
    // Counted from l2's own row, as other labs may run (their rows would come last).
    const lines = r.stdout.split("\n");
    const at = lines.findIndex((l) => l.includes(cname("l2")));
    expect(at).toBeGreaterThan(0);
    const v4 = (lines[at] ?? "").split("│")[6]?.trim() ?? "";
    expect(v4).toMatch(/^[\d.]+$/);
    const v6 = (lines[at + 1] ?? "").split("│")[6]?.trim() ?? "";
    expect(v6).toMatch(/^[0-9a-f:]+$/i);
    expect(v6).toContain(":");
  });

  test('Verify "inspect interfaces" contains the expected output', () => {
    const r = run(["--runtime", "docker", "inspect", "interfaces", "-t", file]);
    expect(r.code).toBe(0);
    for (const s of [cname("l2"), "eth2", "veth", "up"]) expect(r.stdout).toContain(s);
  });

  test("Verify bind mount in l1 node", () => {
    const r = inNode("l1", "cat 01-test.txt");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Hello, containerlab");
  });

  test("Verify port forwarding for node l2", () => {
    const r = sh("curl -s -m 3 --retry 3 localhost:56180");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Thank you for using nginx");
  });

  test("Verify static ipv4 mgmt addressing for l2", () => {
    expect(sh(`docker exec ${cname("l2")} ip -o -4 a sh eth0 | awk '{print $4}'`).stdout.trim()).toBe(n2ipv4);
  });

  test("Verify static ipv6 mgmt addressing for l2", () => {
    expect(sh(`docker exec ${cname("l2")} ip -o -6 a sh eth0 | awk '{print $4}' | head -1`).stdout.trim()).toBe(n2ipv6);
  });

  test("Verify l1 environment has MYVAR variable set", () => {
    const r = sh(`docker exec ${cname("l1")} sh -c 'echo $MYVAR'`);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("MYVAR is SET");
  });

  test("Verify Hosts entries exist", () => {
    expect(sh(`grep -c "${labName}" /etc/hosts`).stdout.trim()).toBe("6");
  });

  test("Verify Hosts entries contain container ID", () => {
    const id = sh(`docker inspect ${cname("l1")} --format '{{.Id}}'`)
      .stdout.trim()
      .slice(0, 12);
    expect(sh(`grep "${cname("l1")}" /etc/hosts | head -1`).stdout).toContain(id);
  });

  test("Verify Mem and CPU limits are set", () => {
    const out = sh(`docker inspect ${cname("l1")} -f '{{.HostConfig.Memory}} {{.HostConfig.CpuQuota}}'`).stdout;
    expect(out).toContain("150000");
    expect(out).toContain("1000000000");
  });

  test("Verify iptables allow rule is set", () => {
    const br = sh(`docker inspect ${cname("l1")} -f '{{index .Config.Labels "clab-mgmt-net-bridge"}}'`).stdout.trim();
    expect(br).not.toBe("");
    mgmtBridge = br;
    const ipt = sh("iptables -vnL DOCKER-USER").stdout.replace(/\s+/g, " ").toLowerCase();
    expect(ipt).toMatch(new RegExp(`accept (all|0) -- \\* ${br}`));
    expect(ipt).toMatch(new RegExp(`accept (all|0) -- ${br} \\*`));
  });

  testIf(sh("command -v nft").code === 0, "nft is not installed (the .robot case skips too)")(
    "Verify ip6tables allow rule is set",
    () => {
      const br = sh(`docker inspect ${cname("l1")} -f '{{index .Config.Labels "clab-mgmt-net-bridge"}}'`).stdout.trim();
      const chain = sh("nft list chain ip6 filter DOCKER-USER").stdout;
      expect(chain).toMatch(new RegExp(`oifname.*${br}.*accept`));
      expect(chain).toMatch(new RegExp(`iifname.*${br}.*accept`));
    },
  );

  test("Verify DNS-Server Config", () => {
    const out = sh(`docker inspect ${cname("l2")} -f '{{ .HostConfig.Dns }}'`).stdout;
    expect(out).toContain("8.8.8.8");
    expect(out).toContain("1.2.3.4");
  });

  test("Verify DNS-Search Config", () => {
    expect(sh(`docker inspect ${cname("l2")} -f '{{ .HostConfig.DnsSearch }}'`).stdout).toContain("my.domain");
  });

  test("Verify DNS-Options Config", () => {
    expect(sh(`docker inspect ${cname("l2")} -f '{{ .HostConfig.DnsOptions }}'`).stdout).toContain("rotate");
  });

  test("Verify Exec rc == 0 on containers match", () => {
    const r = run(["--runtime", "docker", "exec", "-t", file, "--cmd", "echo test"]);
    const output = r.stdout + r.stderr;
    expect(output).toContain("test");
    expect(output).not.toContain("Filter did not match any containers");
    expect(r.code).toBe(0);
  });

  test("Verify Exec rc != 0 on no containers match", () => {
    const r = run([
      "--runtime",
      "docker",
      "exec",
      "-t",
      file,
      "--label",
      "clab-node-name=nonexist",
      "--cmd",
      "echo test",
    ]);
    const output = r.stdout + r.stderr;
    expect(output).not.toContain("test");
    expect(output).toMatch(/filter did not match any containers/i);
    expect(r.code).not.toBe(0);
  });

  test("Verify l1 node is healthy", async () => {
    // The .robot case sleeps 10 s; waiting for the state is the same check without the fixed wait.
    await waitFor(
      () => sh(`docker inspect ${cname("l1")} -f '{{.State.Health.Status}}'`).stdout.trim() === "healthy",
      30_000,
      "l1 healthy",
    );
  }, 40_000);

  test("Destroy ${lab-name} lab", () => {
    expect(run(["--runtime", "docker", "destroy", "-t", file, "--cleanup"]).code).toBe(0);
  });

  test("Verify Hosts entries are gone", () => {
    expect(sh(`grep -c "${labName}" /etc/hosts || true`).stdout.trim()).toBe("0");
  });

  test("Verify Hosts file has same number of lines", () => {
    expect(Number(sh("cat /etc/hosts | wc -l").stdout.trim())).toBe(hostsBefore);
  });

  test("Verify iptables allow rule are gone", () => {
    expect(mgmtBridge).not.toBe("");
    expect(sh("iptables -vnL DOCKER-USER").stdout).not.toContain(mgmtBridge);
  });

  testIf(sh("command -v nft").code === 0, "nft is not installed (the .robot case skips too)")(
    "Verify ip6tables allow rule are gone",
    () => {
      expect(sh("nft list chain ip6 filter DOCKER-USER").stdout).not.toContain(mgmtBridge);
    },
  );

  test("Verify containerlab version", () => {
    const r = lab(["version"]);
    expect(r.code).toBe(0);
    for (const s of ["version:", "commit:", "date:"]) expect(r.stdout + r.stderr).toContain(s);
  });

  // "Verify containerlab version check" asks GitHub for the newest release: it needs the internet.
  // Offline, lab answers in one line and exits 0 (smoke-version.test.ts).
});
