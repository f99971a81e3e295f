// Containerlab's tests/01-smoke 20-graph-generation, the cases of 21-tools-sshx,
// 22-tools-api-server and 23-tools-gotty that need no public image (the empty lists), 24-bridge-in-ns
// and 24-groups, against lab on Docker with the suites' topologies on stand-in images.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, rmSync } from "node:fs";
import { sh } from "../helpers/env.ts";
import { testIf } from "../helpers/skip.ts";
import { combined, suiteDir } from "../helpers/smoke.ts";

describe("20-graph-generation.robot", () => {
  const s = suiteDir("smoke-20", {
    "03-linux-nodes-to-bridge-and-host.clab.yml": `name: 03-bridge-and-host
mgmt:
  bridge: 01-03-mgmt
topology:
  nodes:
    l1:
      kind: linux
      image: lab-test/alpine:3
      cmd: ash -c "sleep 9999"
    br-01-03-clab:
      kind: bridge
    hostnode:
      kind: host
  links:
    - endpoints: ["l1:eth1", "br-01-03-clab:l1-eth1"]
    - endpoints: ["br-01-03-clab:l1-eth2", "l1:eth2"]
    - endpoints: ["l1:eth3", "host:l1-01-03-eth3"]
`,
  });
  const diagram = s.path("03-linux-nodes-to-bridge-and-host.clab.drawio");
  afterAll(() => {
    rmSync(diagram, { force: true });
    s.remove();
  });

  test("Generate Diagram for ${lab-name} Lab", () => {
    // Containerlab runs its clab-io-draw container (--drawio-args go to it); lab draws it itself.
    const r = s.run([
      "graph",
      "-t",
      s.path("03-linux-nodes-to-bridge-and-host.clab.yml"),
      "--drawio",
      "--drawio-args=--theme nokia_modern",
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Diagram created successfully.");
    expect(existsSync(diagram)).toBe(true);
  });
});

describe("21-tools-sshx.robot, 22-tools-api-server.robot, 23-tools-gotty.robot (nothing running)", () => {
  // The other cases start sshx, the API server and GoTTY from public images; lab starts none.
  const s = suiteDir("smoke-21", {});
  afterAll(s.remove);
  const none = (type: string) => sh(`docker ps -aq --filter label=tool-type=${type} | wc -l`).stdout.trim() === "0";

  testIf(none("sshx"), "an sshx container runs on this engine")("Verify SSHX Container List Is Empty", () => {
    const r = s.run(["tools", "sshx", "list"]);
    expect(r.code).toBe(0);
    expect(combined(r)).not.toContain("clab-");
  });

  testIf(none("api-server"), "an API server container runs on this engine")("Verify Empty API Server List", () => {
    const r = s.run(["tools", "api-server", "status"]);
    expect(r.code).toBe(0);
    expect(combined(r)).toContain("No active API server containers found");
  });

  testIf(none("api-server"), "an API server container runs on this engine")(
    "Verify Empty API Server List JSON Format",
    () => {
      const r = s.run(["tools", "api-server", "status", "--format", "json"]);
      expect(r.code).toBe(0);
      expect(combined(r)).toBe("[]");
    },
  );

  testIf(none("gotty"), "a GoTTY container runs on this engine")("Verify GoTTY Container List Is Empty", () => {
    const r = s.run(["tools", "gotty", "list"]);
    expect(r.code).toBe(0);
    expect(combined(r)).not.toContain("clab-");
  });

  test("what lab starts instead: one line, not an unknown flag", () => {
    const r = s.run(["tools", "sshx", "attach", "-l", "x", "--enable-readers"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("lab share");
  });
});

describe("24-bridge-in-ns.robot", () => {
  const labName = "bridges-in-ns";
  const s = suiteDir("smoke-24", {
    "24-bridge-in-ns.clab.yaml": `name: "${labName}"
topology:
  nodes: 
    br01|bp1:
      kind: bridge
      network-mode: container:bp1
    bp1:
      kind: linux
      image: lab-test/alpine:3
      exec:
        - "ip address add dev br01 192.168.0.1/24"
    c1:
      kind: linux
      image: lab-test/alpine:3
      exec:
        - "ip address add dev eth1 192.168.0.2/24"
  links:
     - endpoints: ["c1:eth1", "br01|bp1:c1eth1"]
`,
  });
  const topo = s.path("24-bridge-in-ns.clab.yaml");
  s.run(["destroy", "-c", "-t", topo]);
  afterAll(() => {
    s.run(["destroy", "-c", "-t", topo]);
    s.remove();
  });

  test("Deploy ${lab-name} lab", () => {
    expect(s.run(["deploy", "-t", topo]).code).toBe(0);
  });

  test("Ensure bridge br01 exists in bp1 container and is up", () => {
    const r = sh(`docker exec clab-${labName}-bp1 ip link show dev br01`);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("UP,LOWER_UP");
  });

  test("Ensure veth of client is attached to br01", () => {
    const r = sh(`docker exec clab-${labName}-bp1 ip link show dev c1eth1`);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("state UP");
    expect(r.stdout).toContain("master br01");
  });

  test("Ensure communication between client c1 and bridge br01 in container bp1", () => {
    const r = sh(`docker exec clab-${labName}-c1 ping 192.168.0.1 -c 1`);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("0% packet loss");
  });
});

describe("24-groups.robot", () => {
  const labName = "2-linux-nodes";
  const s = suiteDir("smoke-24g", {
    "24-basic-groups.clab.yaml": `name: ${labName}

topology:
  defaults:
    group: g3
  groups:
    g1:
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
      cgroup-parent: containerlab-smoke.slice
      healthcheck:
        test:
          - CMD-SHELL
          - cat /etc/os-release
        start-period: 3
        retries: 1
        interval: 5
        timeout: 2
    g2:
      kind: linux
      image: lab-test/nginx:1
      ports:
        - 56180:80
      dns:
        servers:
          - 8.8.8.8
          - 1.2.3.4
        search:
          - my.domain
        options:
          - rotate
    g3:
      kind: linux
      image: lab-test/nginx:1
      network-mode: host
  nodes:
    l1:
      group: g1
      mgmt-ipv4: 172.20.20.99
      mgmt-ipv6: 3fff:172:20:20::99
    l2:
      group: g2
      mgmt-ipv4: 172.20.20.100
      mgmt-ipv6: 3fff:172:20:20::100
    l3:
`,
    "01-test.txt": "Hello, containerlab\n",
    "01-test.json": '{\n    "containerlab": "is cool"\n}\n',
  });
  const topo = s.path("24-basic-groups.clab.yaml");
  let hostsBefore = "";
  afterAll(() => {
    s.run(["destroy", "-t", topo, "--cleanup"]);
    s.remove();
  });
  const inspect = (n: string, f: string) => sh(`docker inspect clab-${labName}-${n} -f '${f}'`).stdout.trim();

  test("Verify number of Hosts entries before deploy", () => {
    hostsBefore = sh("cat /etc/hosts | wc -l").stdout.trim();
    expect(hostsBefore).not.toBe("");
  });

  test("Deploy ${lab-name} lab", () => {
    expect(s.run(["deploy", "-t", topo]).code).toBe(0);
  });

  test("Inspect ${lab-name} lab using its name", () => {
    expect(s.run(["inspect", "--name", labName]).code).toBe(0);
  });

  test("Verify bind mount in l1 node", () => {
    const r = sh(`docker exec clab-${labName}-l1 cat 01-test.txt`);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Hello, containerlab");
  });

  test("Verify port forwarding for node l2", () => {
    const r = sh("curl -s -m 3 --retry 3 localhost:56180");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Thank you for using nginx");
  });

  test("Verify l1 environment has MYVAR variable set", () => {
    expect(sh(`docker exec clab-${labName}-l1 sh -c 'echo $MYVAR'`).stdout).toContain("MYVAR is SET");
  });

  test("Verify Mem and CPU limits are set", () => {
    const out = inspect("l1", "{{.HostConfig.Memory}} {{.HostConfig.CpuQuota}}");
    expect(out).toContain("150000");
    expect(out).toContain("1000000000");
  });

  test("Verify cgroup parent is set", () => {
    expect(inspect("l1", "{{.HostConfig.CgroupParent}}")).toBe("containerlab-smoke.slice");
    const pid = inspect("l1", "{{.State.Pid}}");
    expect(sh(`cat /proc/${pid}/cgroup`).stdout).toContain("containerlab-smoke.slice");
  });

  test("Verify DNS-Server Config", () => {
    const out = inspect("l2", "{{ .HostConfig.Dns }}");
    expect(out).toContain("8.8.8.8");
    expect(out).toContain("1.2.3.4");
  });

  test("Verify DNS-Search Config", () => {
    expect(inspect("l2", "{{ .HostConfig.DnsSearch }}")).toContain("my.domain");
  });

  test("Verify DNS-Options Config", () => {
    expect(inspect("l2", "{{ .HostConfig.DnsOptions }}")).toContain("rotate");
  });

  test("Destroy ${lab-name} lab", () => {
    expect(s.run(["destroy", "-t", topo, "--cleanup"]).code).toBe(0);
  });
});
