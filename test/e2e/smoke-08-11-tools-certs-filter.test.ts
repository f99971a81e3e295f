// Containerlab's tests/01-smoke 08-tools-cmds, 09-external-ca, 10-ca-parameter and 11-node-filter,
// case by case, against lab on Docker with the suites' topologies on stand-in images.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { sh } from "../helpers/env.ts";
import { testIf } from "../helpers/skip.ts";
import { combined, suiteDir } from "../helpers/smoke.ts";

const netem = sh("modprobe -n sch_netem 2>/dev/null || modinfo sch_netem >/dev/null 2>&1").code === 0;

describe("08-tools-cmds.robot", () => {
  const labName = "2-linux-nodes";
  const s = suiteDir("smoke-08", {
    "01-linux-nodes.clab.yml": `name: ${labName}
topology:
  nodes:
    l1: { kind: linux, image: lab-test/alpine:3, cmd: ash -c "sleep 9999" }
    l2: { kind: linux, image: lab-test/alpine:3, cmd: ash -c "sleep 9999" }
  links:
    - type: veth
      endpoints:
        - { node: l1, interface: eth3, mac: "02:00:00:00:00:00" }
        - { node: l2, interface: eth3, mac: "02:00:00:00:00:01" }
`,
  });
  const topo = s.path("01-linux-nodes.clab.yml");
  const node = `clab-${labName}-l1`;
  afterAll(() => {
    s.run(["destroy", "-t", topo, "--cleanup"]);
    s.remove();
  });
  const withNetem = testIf(netem, "no sch_netem kernel module");

  test("Deploy ${lab-name} lab", () => {
    expect(s.run(["deploy", "-t", topo]).code).toBe(0);
  });

  withNetem("Add link impairments", () => {
    const r = s.run([
      "tools",
      "netem",
      "set",
      "-n",
      node,
      "-i",
      "eth3",
      "--delay",
      "100ms",
      "--jitter",
      "2ms",
      "--loss",
      "10",
      "--rate",
      "1000",
      "--corruption",
      "2",
    ]);
    expect(r.code).toBe(0);
    for (const v of ["100ms", "2ms", "10.00%", "1000", "2.00%"]) expect(combined(r)).toContain(v);
  });

  withNetem("Show link impairments", () => {
    const r = s.run(["tools", "netem", "show", "-n", node]);
    expect(r.code).toBe(0);
    for (const v of ["100ms", "2ms", "10.00%", "1000"]) expect(combined(r)).toContain(v);
  });

  withNetem("Show link impairments in JSON format", () => {
    const r = s.run(["tools", "netem", "show", "-n", node, "--format", "json"]);
    expect(r.code).toBe(0);
    for (const v of [
      `"${node}"`,
      '"interface"',
      '"delay"',
      '"jitter"',
      '"packet_loss"',
      '"rate"',
      '"corruption"',
      '"100ms"',
      '"2ms"',
    ])
      expect(r.stdout).toContain(v);
  });

  withNetem("Reset link impairments", () => {
    const r = s.run(["tools", "netem", "reset", "-n", node, "-i", "eth3"]);
    expect(r.code).toBe(0);
    expect(combined(r)).toContain(`Reset impairments on node "${node}", interface "eth3"`);
    const show = combined(s.run(["tools", "netem", "show", "-n", node]));
    for (const v of ["100ms", "2ms", "10.00%", "1000"]) expect(show).not.toContain(v);
  });
});

describe("09-external-ca.robot", () => {
  const s = suiteDir("smoke-09", {
    "09-external-ca.clab.yml": `name: external-ca

settings:
  certificate-authority:
    cert: rootCACert.pem
    key: rootCAKey.pem

topology:
  nodes:
    l1:
      kind: linux
      image: lab-test/alpine:3
      certificate:
        issue: true
`,
  });
  const topo = s.path("09-external-ca.clab.yml");
  const key = s.path("rootCAKey.pem");
  const cert = s.path("rootCACert.pem");
  const l1 = { cert: s.path("clab-external-ca/.tls/l1/l1.pem"), key: s.path("clab-external-ca/.tls/l1/l1.key") };
  afterAll(() => {
    s.run(["destroy", "-t", topo, "--cleanup"]);
    s.remove();
  });

  test("Generate CA Key", () => {
    expect(sh(`openssl genrsa -out ${key} 2048`).code).toBe(0);
  });

  test("Generate Certificate", () => {
    expect(
      sh(
        `openssl req -x509 -sha256 -new -nodes -key ${key} -days 3650 -out ${cert} -subj "/L=Internet/O=srl-labs/OU=Containerlab/CN=containerlab.dev"`,
      ).code,
    ).toBe(0);
  });

  test("Deploy ${lab-name} lab", () => {
    expect(s.run(["deploy", "-t", topo]).code).toBe(0);
  });

  test("Review Root Certificate", () => {
    const out = sh(`openssl x509 -in ${cert} -text`).stdout;
    expect(out).toContain("Issuer: L = Internet, O = srl-labs, OU = Containerlab, CN = containerlab.dev");
    expect(out).toContain("Subject: L = Internet, O = srl-labs, OU = Containerlab, CN = containerlab.dev");
    expect(out).toContain("Public-Key: (2048 bit)");
  });

  test("Node l1 cert and key files should exist", () => {
    expect(existsSync(l1.cert)).toBe(true);
    expect(existsSync(l1.key)).toBe(true);
  });

  test("Review Node l1 Certificate", () => {
    const out = sh(`openssl x509 -in ${l1.cert} -text`).stdout;
    expect(out).toContain("CN = l1.external-ca.io");
    expect(out).toContain("Issuer: L = Internet, O = srl-labs, OU = Containerlab, CN = containerlab.dev");
    expect(out).toContain("Public-Key: (2048 bit)");
  });

  test("Verify node cert with CA Cert", () => {
    expect(sh(`openssl verify -CAfile ${cert} ${l1.cert}`).code).toBe(0);
  });
});

describe("10-ca-parameter.robot", () => {
  const labName = "internal-ca";
  const s = suiteDir("smoke-10", {
    "10-internal-ca.clab.yml": `name: ${labName}

settings:
  certificate-authority:
    key-size: 1024
    validity-duration: 5h

topology:
  defaults:
    certificate:
      issue: true
      key-size: 1024
  nodes:
    l1:
      kind: linux
      image: lab-test/alpine:3
      certificate:
        issue: true
        validity-duration: 25h
    l2:
      kind: linux
      image: lab-test/alpine:3
      certificate:
        issue: true
        key-size: 2048
        sans:
          - 192.168.33.44
          - my.text.fqdn
    l3:
      kind: linux
      image: lab-test/alpine:3
      certificate:
        issue: false
`,
  });
  const topo = s.path("10-internal-ca.clab.yml");
  const tls = (n: string, ext: string) => s.path(`clab-${labName}/.tls/${n}/${n}.${ext}`);
  const ca = tls("ca", "pem");
  const issuer = `Issuer: C = US, L = , O = containerlab, OU = , CN = ${labName} lab CA`;
  const text = (file: string) => sh(`openssl x509 -in ${file} -text`).stdout;
  /** notAfter - notBefore in hours, as the .robot case computes it from openssl's text. */
  const validityHours = (file: string) => {
    const dates = sh(`openssl x509 -in ${file} -noout -startdate -enddate`).stdout;
    const [from, to] = [/notBefore=(.*)/, /notAfter=(.*)/].map((re) => Date.parse(re.exec(dates)?.[1] ?? ""));
    return ((to as number) - (from as number)) / 3_600_000;
  };
  afterAll(() => {
    s.run(["destroy", "-t", topo, "--cleanup"]);
    s.remove();
  });

  test("Deploy ${lab-name} lab", () => {
    expect(s.run(["deploy", "-t", topo]).code).toBe(0);
  });

  test("Review Root Certificate", () => {
    const out = text(ca);
    expect(out).toContain(issuer);
    expect(out).toContain(`Subject: C = US, L = , O = containerlab, OU = , CN = ${labName} lab CA`);
    expect(out).toContain("Public-Key: (1024 bit)");
  });

  test("Node l1 cert and key files should exist", () => {
    expect(existsSync(tls("l1", "pem")) && existsSync(tls("l1", "key"))).toBe(true);
  });

  test("Node l2 cert and key files should exist", () => {
    expect(existsSync(tls("l2", "pem")) && existsSync(tls("l2", "key"))).toBe(true);
  });

  test("Node l3 cert and key files should not exist", () => {
    expect(existsSync(tls("l3", "pem")) || existsSync(tls("l3", "key"))).toBe(false);
  });

  test("Review Node l1 Certificate", () => {
    const out = text(tls("l1", "pem"));
    expect(out).toContain(`CN = l1.${labName}.io`);
    expect(out).toContain(issuer);
    expect(out).toContain("Public-Key: (1024 bit)");
  });

  test("Review Node l2 Certificate", () => {
    const out = text(tls("l2", "pem"));
    expect(out).toContain(`CN = l2.${labName}.io`);
    expect(out).toContain(issuer);
    expect(out).toContain("Public-Key: (2048 bit)");
  });

  test("Verfiy node cert l1 with CA Cert", () => {
    expect(sh(`openssl verify -CAfile ${ca} ${tls("l1", "pem")}`).code).toBe(0);
  });

  test("Verfiy node cert l2 with CA Cert", () => {
    expect(sh(`openssl verify -CAfile ${ca} ${tls("l2", "pem")}`).code).toBe(0);
  });

  test("Verify CA Certificate Validity", () => {
    expect(validityHours(ca)).toBe(5);
  });

  test("Verify l1 Certificate Validity", () => {
    expect(validityHours(tls("l1", "pem"))).toBe(25);
  });

  test("Verify l2 extra SANs", () => {
    const out = text(tls("l2", "pem"));
    expect(out).toContain("DNS:my.text.fqdn");
    expect(out).toContain("IP Address:192.168.33.44");
  });
});

describe("11-node-filter.robot", () => {
  const s = suiteDir("smoke-11", {
    "node-filter.clab.yml": `name: node-filter
topology:
  defaults:
    kind: linux
    image: lab-test/alpine:3
  nodes:
    node1:
    node2:
    node3:
    node4:

  links:
    - endpoints: ["node1:eth1", "node2:eth1"]
    - endpoints: ["node1:eth2", "node3:eth2"]
    - endpoints: ["node1:eth3", "node4:eth3"]
    - endpoints: ["node2:eth2", "node4:eth2"]
    - endpoints: ["node3:eth1", "node4:eth1"]
`,
  });
  const topo = s.path("node-filter.clab.yml");
  const cleanup = () => s.run(["destroy", "-t", topo, "--cleanup"]);
  afterAll(() => {
    cleanup();
    s.remove();
  });
  const ipLink = () => s.run(["exec", "-t", topo, "--label", "clab-node-name=node1", "--cmd", "ip link"]);

  test("Test filter 1", () => {
    const r = s.run(["deploy", "-t", topo, "--node-filter", "node1,node2,node4"]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("node3");
    const links = ipLink();
    expect(links.stderr).toContain("eth1");
    expect(links.stderr).toContain("eth3");
    expect(links.stderr).not.toContain("eth2");
    cleanup();
  });

  test("Test filter 2", () => {
    const r = s.run(["deploy", "-t", topo, "--node-filter", "node1"]);
    expect(r.code).toBe(0);
    for (const n of ["node2", "node3", "node4"]) expect(r.stdout).not.toContain(n);
    expect(r.stdout).toContain("node1");
    const links = ipLink();
    expect(links.stderr).toContain("eth0");
    for (const i of ["eth1", "eth2", "eth3"]) expect(links.stderr).not.toContain(i);
  });
});
