// Containerlab's tests/01-smoke 03-bridges-and-host, 05-docker-bridge, 06-tools-certs and
// 07-keep-mgmt-net, case by case, against lab on Docker with the suites' topologies on stand-in
// images.
import { afterAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { sh } from "../helpers/env.ts";
import { testIf } from "../helpers/skip.ts";
import { combined, suiteDir } from "../helpers/smoke.ts";

describe("03-bridges-and-host.robot", () => {
  const bridge = "br-01-03-clab";
  const hostLink = "l1-01-03-eth3";
  const mgmtBridge = "01-03-mgmt";
  const s = suiteDir("smoke-03", {
    "03-linux-nodes-to-bridge-and-host.clab.yml": `name: 03-bridge-and-host
mgmt:
  bridge: ${mgmtBridge}

topology:
  nodes:
    l1:
      kind: linux
      image: lab-test/alpine:3
      cmd: ash -c "sleep 9999"
    ${bridge}:
      kind: bridge
    hostnode: # is not used, it is here for coverage
      kind: host

  links:
    - endpoints: ["l1:eth1", "${bridge}:l1-eth1"]
    - endpoints: ["${bridge}:l1-eth2", "l1:eth2"]
    - endpoints: ["l1:eth3", "host:${hostLink}"]
`,
  });
  const file = s.path("03-linux-nodes-to-bridge-and-host.clab.yml");
  sh(`ip link del ${bridge} 2>/dev/null`);
  afterAll(() => {
    expect(s.run(["destroy", "-t", file, "--cleanup"]).code).toBe(0);
    sh(`ip link del ${bridge} 2>/dev/null; ip link del ${hostLink} 2>/dev/null`);
    s.remove();
  });

  test("Create linux bridge", () => {
    expect(sh(`ip link add name ${bridge} type bridge && ip link set ${bridge} up`).code).toBe(0);
  });

  test("Deploy ${lab-name} lab", () => {
    const r = s.run(["deploy", "--skip-labdir-acl", "-t", file]);
    expect(r.code).toBe(0);
  });

  test("Verify links in linux bridge", () => {
    expect(sh("ip link show l1-eth1").stdout).toContain(`master ${bridge} state UP`);
    expect(sh("ip link show l1-eth2").stdout).toContain(`master ${bridge} state UP`);
  });

  test("Verify links in host ns", () => {
    expect(sh(`ip link show ${hostLink}`).stdout).toContain("state UP");
  });

  test("Verify management network is using user-specified bridge", () => {
    // exec logs the command's output on stderr; the peer's ifindex follows "@if" in eth0's line.
    const r = s.run(["exec", "-t", file, "--label", "clab-node-name=l1", "--cmd", "ip l show eth0"]);
    expect(r.code).toBe(0);
    const iface = /\d+: .*@if(\d+:) /.exec(combined(r))?.[1];
    expect(iface).toBeDefined();
    const res = sh(`ip l | grep "^${iface}"`).stdout;
    expect(res).toContain(`master ${mgmtBridge} state UP`);
  });

  test("Verify iptables allow rule is set", () => {
    const ipt = sh("iptables -vnL FORWARD").stdout.replace(/\s+/g, " ").toLowerCase();
    expect(ipt).toMatch(new RegExp(`accept (all|0) -- \\* ${bridge}`));
    expect(ipt).toMatch(new RegExp(`accept (all|0) -- ${bridge} \\*`));
  });

  testIf(sh("command -v nft").code === 0, "nft is not installed (the .robot case skips too)")(
    "Verify ip6tables allow rule is set",
    () => {
      const chain = sh("nft list chain ip6 filter FORWARD").stdout;
      expect(chain).toMatch(new RegExp(`oifname.*${bridge}.*accept`));
      expect(chain).toMatch(new RegExp(`iifname.*${bridge}.*accept`));
    },
  );
});

describe("05-docker-bridge.robot", () => {
  const s = suiteDir("smoke-05", {
    "05-docker-bridge.clab.yml": `name: 05-docker-bridge
mgmt:
  network: bridge

topology:
  nodes:
    l1:
      kind: linux
      image: lab-test/alpine:3
      cmd: ash -c "sleep 9999"
`,
  });
  afterAll(() => {
    s.run(["destroy", "-t", s.path("05-docker-bridge.clab.yml"), "--cleanup"]);
    s.remove();
  });

  test("Deploy ${lab-name} lab", () => {
    expect(s.run(["deploy", "-t", s.path("05-docker-bridge.clab.yml")]).code).toBe(0);
  });

  test("Ensure inspect outputs IP addresses", () => {
    const r = s.run(["inspect", "--name", "05-docker-bridge"]);
    expect(r.code).toBe(0);
    const line = combined(r).split("\n").at(-3) ?? "";
    expect(line.split("│")[4]?.trim()).toMatch(/^[\d.]+$/);
  });
});

describe("06-tools-certs.robot", () => {
  const root = "/tmp/clab-tests/certs/06-ca";
  const node = "/tmp/clab-tests/certs/06-node-cert";
  const clean = () => {
    rmSync(root, { recursive: true, force: true });
    rmSync(node, { recursive: true, force: true });
  };
  clean();
  afterAll(clean);
  const s = suiteDir("smoke-06", {});
  afterAll(s.remove);

  test("Create CA certificate", () => {
    const r = s.run([
      "tools",
      "cert",
      "ca",
      "create",
      "--path",
      root,
      "--name",
      "root-ca",
      "--expiry",
      "1m",
      "--locality",
      "CICD",
      "-d",
    ]);
    expect(r.code).toBe(0);
    expect(combined(r)).toContain(
      "Certificate attributes: CN=containerlab.dev, C=Internet, L=CICD, O=Containerlab, OU=Containerlab Tools, Validity period=1m",
    );
    const out = sh(`openssl x509 -in ${root}/root-ca.pem -text`);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain(
      "Issuer: C = Internet, L = CICD, O = Containerlab, OU = Containerlab Tools, CN = containerlab.dev",
    );
  });

  test("Create and sign end node certificates", () => {
    const r = s.run([
      "tools",
      "cert",
      "sign",
      "--ca-cert",
      `${root}/root-ca.pem`,
      "--ca-key",
      `${root}/root-ca.key`,
      "--hosts",
      "node.io,192.168.0.1",
      "--path",
      node,
      "-d",
    ]);
    expect(r.code).toBe(0);
    expect(combined(r)).toContain(
      'Creating and signing certificate Hosts="[node.io 192.168.0.1]" CN=containerlab.dev C=Internet L=Server O=Containerlab OU="Containerlab Tools"',
    );
    const out = sh(`openssl x509 -in ${node}/cert.pem -text`);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain("DNS:node.io, IP Address:192.168.0.1");
  });
});

describe("07-keep-mgmt-net.robot", () => {
  const mgmtBridge = "01-07-net";
  const s = suiteDir("smoke-07", {
    "07-linux-single-node.clab.yml": `name: single-node
mgmt:
  bridge: ${mgmtBridge}

topology:
  nodes:
    l1:
      kind: linux
      image: lab-test/alpine:3
      cmd: ash -c "sleep 9999"
`,
  });
  const topo = s.path("07-linux-single-node.clab.yml");
  afterAll(() => {
    s.run(["destroy", "-t", topo, "--cleanup"]);
    sh("docker network rm clab 2>/dev/null");
    s.remove();
  });

  test("Deploy ${lab-name} lab", () => {
    expect(s.run(["deploy", "-t", topo]).code).toBe(0);
  });

  test("Destroy ${lab-name} lab keep mgmt net", () => {
    expect(s.run(["destroy", "-t", topo, "--keep-mgmt-net"]).code).toBe(0);
  });

  test("Check ${lab-name} mgmt network remains", () => {
    expect(sh(`ip l show dev ${mgmtBridge}`).code).toBe(0);
  });

  test("Deploy ${lab-name} lab again", () => {
    expect(s.run(["deploy", "-t", topo]).code).toBe(0);
  });

  test("Destroy ${lab-name} lab dont keep mgmt net", () => {
    expect(s.run(["destroy", "-t", topo, "--cleanup"]).code).toBe(0);
  });

  test("Check ${lab-name} mgmt network is gone", () => {
    expect(sh(`ip l show dev ${mgmtBridge}`).code).not.toBe(0);
  });
});
