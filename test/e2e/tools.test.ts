// lab tools (netem, veth, vxlan, TX offload, certificates), lab generate and shell completion,
// against the real engine. Traffic stays between the test's own nodes and a network namespace it
// makes (the far VTEP); everything is removed at the end.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { LAB, lab, sh } from "../helpers/env.ts";
import { errorLines, freeSubnet, labDir, leftovers } from "../helpers/lab.ts";
import { testIf } from "../helpers/skip.ts";

const t = labDir("e2e-tools");
const subnet = freeSubnet();
const sfx = t.name.slice(-4);
const farNs = `labtf-${sfx}`;
const [hostEnd, farEnd, nodeHost] = [`tf${sfx}h`, `tf${sfx}f`, `tl${sfx}`];
const third = 1 + Math.floor(Math.random() * 250);
const [hostAddr, farAddr] = [`198.19.${third}.1`, `198.19.${third}.2`];
const vni = 2000 + Math.floor(Math.random() * 100000);
const port = 20000 + Math.floor(Math.random() * 20000);
let file = "";

const cname = (node: string) => `clab-${t.name}-${node}`;
const inNode = (node: string, cmd: string) => sh(`docker exec ${cname(node)} sh -c '${cmd}'`);
const must = (cmd: string) => {
  const r = sh(cmd);
  if (r.code !== 0) throw new Error(`${cmd}: ${r.stderr}`);
  return r.stdout;
};
const pings = (node: string, address: string) =>
  inNode(node, `ping -c 1 -W 2 ${address}`).stdout.includes("1 packets received");
const vxlanCreate = () =>
  lab([
    "tools",
    "vxlan",
    "create",
    "--remote",
    farAddr,
    "--id",
    String(vni),
    "--link",
    nodeHost,
    "--port",
    String(port),
  ]);
const netemHere = sh("unshare --net tc qdisc add dev lo root netem delay 1ms").code === 0;

beforeAll(() => {
  must(`ip netns add ${farNs}`);
  must(`ip link add ${hostEnd} type veth peer name ${farEnd} netns ${farNs}`);
  must(`ip addr add ${hostAddr}/30 dev ${hostEnd} && ip link set ${hostEnd} up`);
  must(`ip -n ${farNs} addr add ${farAddr}/30 dev ${farEnd} && ip -n ${farNs} link set ${farEnd} up`);
  must(
    `ip -n ${farNs} link add vx0 type vxlan id ${vni} remote ${hostAddr} dstport ${port} dev ${farEnd} && ip -n ${farNs} addr add 10.66.9.2/24 dev vx0 && ip -n ${farNs} link set vx0 up`,
  );
  file = t.write(
    "tools.clab.yml",
    `name: ${t.name}
mgmt: { network: ${t.name}, ipv4-subnet: ${subnet.v4} }
topology:
  defaults: { image: lab-test/linux:1 }
  nodes:
    r1:
      certificate: { issue: true, sans: [r1.example] }
      mgmt-ipv4: 172.30.${subnet.third}.10
      # A TLS server on the node's own certificate (the host's openssl, bound in).
      binds: [/usr/bin/openssl:/opt/openssl:ro, /usr/lib:/lib:ro, /usr/lib64:/lib64:ro, __clabDir__/.tls/r1:/tls:ro]
      cmd: /opt/openssl s_server -quiet -accept 8443 -cert /tls/r1.pem -key /tls/r1.key -www
    r2: { certificate: { issue: true } }
  links:
    - endpoints: ["r1:eth1", "r2:eth1"]
      ipv4: [10.66.1.1/24, 10.66.1.2/24]
    - endpoints: ["r1:eth2", "host:${nodeHost}"]
`,
  );
  const up = lab(["up", "-t", file]);
  if (up.code !== 0) throw new Error(up.stderr);
});

afterAll(() => {
  t.cleanup();
  sh(`ip link del ${hostEnd}; ip netns del ${farNs}`);
});

describe("TX checksum offload", () => {
  test("is off on every link end lab made, in the nodes and on the host (ethtool -k from the host)", () => {
    for (const [node, iface] of [
      ["r1", "eth1"],
      ["r2", "eth1"],
      ["r1", "eth2"],
    ])
      expect(must(`ip netns exec ${cname(node as string)} ethtool -k ${iface}`)).toMatch(/^tx-checksumming: off/m);
    expect(must(`ethtool -k ${nodeHost}`)).toMatch(/^tx-checksumming: off/m);
  });

  test("lab tools disable-tx-offload -c turns it off on eth0", () => {
    const r = lab(["tools", "disable-tx-offload", "-c", cname("r2")]);
    expect(r.code).toBe(0);
    expect(must(`ip netns exec ${cname("r2")} ethtool -k eth0`)).toMatch(/^tx-checksumming: off/m);
  });
});

describe("lab tools netem", () => {
  const set = (...flags: string[]) => lab(["tools", "netem", "set", "-t", file, "-n", "r1", "-i", "eth1", ...flags]);

  test("a node that is not running, and an interface it lacks: one line each", () => {
    const missing = lab(["tools", "netem", "set", "-t", file, "-n", "r1", "-i", "eth9", "--delay", "5ms"]);
    expect(missing.code).toBe(2);
    expect(errorLines(missing.stderr)).toEqual([
      expect.stringContaining("node r1 has no interface eth9. its interfaces:"),
    ]);
    expect(lab(["stop", "-t", file, "-n", "r2"]).code).toBe(0);
    try {
      const stopped = lab(["tools", "netem", "set", "-t", file, "-n", "r2", "-i", "eth1", "--delay", "5ms"]);
      expect(stopped.code).toBe(6);
      expect(errorLines(stopped.stderr)).toEqual([expect.stringContaining(`node r2 (${cname("r2")}) is not running`)]);
    } finally {
      expect(lab(["start", "-t", file, "-n", "r2"]).code).toBe(0);
    }
  });

  testIf(!netemHere, "this kernel has sch_netem")(
    "without sch_netem in the kernel: refused up front in one line, nothing changed",
    () => {
      const before = must(`ip netns exec ${cname("r1")} tc qdisc show dev eth1`);
      const r = set("--delay", "40ms");
      expect(r.code).toBe(9);
      expect(errorLines(r.stderr)).toEqual([expect.stringContaining("no netem qdisc (kernel module sch_netem)")]);
      expect(must(`ip netns exec ${cname("r1")} tc qdisc show dev eth1`)).toBe(before);
    },
  );

  // What netem does to traffic is the kernel's; the test checks what lab asked of it (tc's own view).
  // Its effect on RTT and throughput is measured by make bench, never asserted here.
  const qdisc = () => must(`ip netns exec ${cname("r1")} tc qdisc show dev eth1`);
  testIf(netemHere, "this kernel has no sch_netem")(
    "--delay 40ms --jitter 5ms --loss 30 --rate 1000: tc shows them; show lists them; reset removes them",
    () => {
      expect(set("--delay", "40ms", "--jitter", "5ms", "--loss", "30", "--rate", "1000").code).toBe(0);
      expect(qdisc()).toMatch(/netem .*delay 40(\.0)?ms\s+5(\.0)?ms.*loss 30%.*rate 1Mbit/);
      const shown = JSON.parse(lab(["tools", "netem", "show", "-n", cname("r1"), "--format", "json"]).stdout);
      expect(shown[cname("r1")]).toEqual([expect.objectContaining({ interface: "eth1", delay: "40ms" })]);
      expect(lab(["tools", "netem", "show", "-t", file]).stdout).toMatch(/│ r1 +│ eth1 +│ 40ms/);
      expect(lab(["inspect", "interfaces", "-t", file, "-n", "r1"]).stdout).toContain("delay 40ms");
      expect(lab(["tools", "netem", "reset", "-t", file, "-n", "r1", "-i", "eth1"]).code).toBe(0);
      expect(qdisc()).not.toContain("netem");
    },
  );
});

describe("lab tools veth and vxlan", () => {
  test("veth create between two running nodes, and between a node and the host: traffic passes", () => {
    const nodes = lab(["tools", "veth", "create", "-t", file, "-a", "r1:eth5", "-b", "r2:eth5", "--mtu", "1500"]);
    expect(nodes.code).toBe(0);
    must(`ip -n ${cname("r1")} addr add 10.66.5.1/24 dev eth5 && ip -n ${cname("r2")} addr add 10.66.5.2/24 dev eth5`);
    expect(pings("r1", "10.66.5.2")).toBe(true);
    const host = lab(["tools", "veth", "create", "-a", `${cname("r2")}:eth6`, "-b", `host:${nodeHost}x`]);
    expect(host.code).toBe(0);
    must(`ip addr add 10.66.6.1/24 dev ${nodeHost}x && ip -n ${cname("r2")} addr add 10.66.6.2/24 dev eth6`);
    expect(pings("r2", "10.66.6.1")).toBe(true);
    expect(must(`ip netns exec ${cname("r2")} ethtool -k eth6`)).toMatch(/^tx-checksumming: off/m);
  });

  test("vxlan create from a node to a far VTEP: traffic passes; delete removes it", () => {
    must(`ip -n ${cname("r1")} addr add 10.66.9.1/24 dev eth2`);
    const r = vxlanCreate();
    expect(r.code).toBe(0);
    expect(must(`ip -d link show vx-${nodeHost}`)).toContain(`vxlan id ${vni} remote ${farAddr}`);
    expect(pings("r1", "10.66.9.2")).toBe(true);
    expect(lab(["tools", "vxlan", "delete", "--prefix", `vx-${nodeHost}`]).code).toBe(0);
    expect(sh(`ip link show vx-${nodeHost}`).code).not.toBe(0);
    expect(pings("r1", "10.66.9.2")).toBe(false);
    // Made again, it is the lab's (its link is a node's end): lab down at the end removes it.
    expect(vxlanCreate().code).toBe(0);
    expect(must(`cat /sys/class/net/vx-${nodeHost}/ifalias`).trim()).toBe(`lab:${t.name}:r1`);
  });
});

describe("certificates", () => {
  const tls = () => `${t.dir}/clab-${t.name}/.tls`;

  test("the lab CA signs each node's certificate; the SANs hold its names and management addresses", () => {
    expect(must(`openssl verify -CAfile ${tls()}/ca/ca.pem ${tls()}/r1/r1.pem ${tls()}/r2/r2.pem`)).toContain(
      "r2.pem: OK",
    );
    const r1 = must(`openssl x509 -in ${tls()}/r1/r1.pem -noout -ext subjectAltName`);
    for (const san of [
      "DNS:r1",
      `DNS:${cname("r1")}`,
      `DNS:r1.${t.name}.io`,
      "DNS:r1.example",
      `IP Address:172.30.${subnet.third}.10`,
    ])
      expect(r1).toContain(san);
    // r2's address was the engine's choice, known once it started.
    const ip = sh(
      `docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' ${cname("r2")}`,
    ).stdout.trim();
    expect(must(`openssl x509 -in ${tls()}/r2/r2.pem -noout -ext subjectAltName`)).toContain(`IP Address:${ip}`);
    expect(sh(`stat -c %a ${tls()}/r1/r1.key`).stdout.trim()).toBe("600");
  });

  test("a TLS server in a node on its certificate is accepted by curl --cacert, by address and by name", () => {
    const ca = `${tls()}/ca/ca.pem`;
    const ip = `172.30.${subnet.third}.10`;
    expect(sh(`curl -sS --max-time 5 --cacert ${ca} https://${ip}:8443/`).code).toBe(0);
    expect(
      sh(`curl -sS --max-time 5 --cacert ${ca} --resolve r1.${t.name}.io:8443:${ip} https://r1.${t.name}.io:8443/`)
        .code,
    ).toBe(0);
  });

  test("lab tools cert ca create and cert sign, with Containerlab's flags", () => {
    const dir = `${t.dir}/certs`;
    expect(lab(["tools", "cert", "ca", "create", "--path", dir, "--name", "myca", "--expiry", "24h"]).code).toBe(0);
    const signed = lab([
      "tools",
      "cert",
      "sign",
      "--ca-cert",
      `${dir}/myca.pem`,
      "--ca-key",
      `${dir}/myca.key`,
      "--hosts",
      "srv.example,10.1.2.3",
      "--cn",
      "srv",
      "--path",
      dir,
      "--name",
      "srv",
      "--key-size",
      "2048",
    ]);
    expect(signed.code).toBe(0);
    expect(must(`openssl verify -CAfile ${dir}/myca.pem ${dir}/srv.pem`)).toContain("OK");
    expect(must(`openssl x509 -in ${dir}/srv.pem -noout -ext subjectAltName`)).toContain("IP Address:10.1.2.3");
    expect(must(`openssl req -in ${dir}/srv.csr -noout -subject`)).toContain("CN = srv");
  });
});

describe("lab generate and lab completion", () => {
  test("generate --nodes 2,4 --kind linux --deploy: a working Clos, every leaf reaches every spine", () => {
    const name = `${t.name}-g`;
    const r = lab(
      [
        "generate",
        "--name",
        name,
        "--nodes",
        "2,4",
        "--kind",
        "linux",
        "--image",
        "lab-test/linux:1",
        "--ipv4-subnet",
        freeSubnet().v4,
        "--network",
        name,
        "--deploy",
      ],
      { cwd: t.dir },
    );
    try {
      expect(r.code).toBe(0);
      const node = (tier: number, n: number) => `clab-${name}-node${tier}-${n}`;
      // Stage 1 (node1-j) links to stage 2 (node2-k): node1-j:eth<k> ↔ node2-k:eth<j>.
      for (let j = 1; j <= 2; j++)
        for (let k = 1; k <= 4; k++) {
          must(`ip -n ${node(1, j)} addr add 10.${60 + j}.${k}.1/24 dev eth${k}`);
          must(`ip -n ${node(2, k)} addr add 10.${60 + j}.${k}.2/24 dev eth${j}`);
        }
      for (let j = 1; j <= 2; j++)
        for (let k = 1; k <= 4; k++)
          expect({
            leaf: j,
            spine: k,
            ok: sh(`docker exec ${node(1, j)} ping -c 1 -W 2 10.${60 + j}.${k}.2`).stdout.includes(
              "1 packets received",
            ),
          }).toEqual({
            leaf: j,
            spine: k,
            ok: true,
          });
    } finally {
      lab(["down", "--name", name, "--cleanup"], { cwd: t.dir });
      expect(leftovers(name, { network: name })).toMatchObject({ containers: "", network: "" });
    }
  });

  test("lab completion bash, sourced in bash, completes lab tools netem s<TAB>", () => {
    const [bin, ...pre] = LAB;
    // A wrapper named lab, so the script's own command word runs this build.
    const wrapper = t.write("lab", `#!/bin/sh\nexec ${[bin, ...pre].join(" ")} "$@"\n`);
    sh(`chmod +x ${wrapper}`);
    const script = `source <(${wrapper} completion bash); COMP_WORDS=(${wrapper} tools netem s); COMP_CWORD=3; _lab_complete; printf '%s\\n' "\${COMPREPLY[@]}"`;
    expect(
      sh(`bash -c '${script.replaceAll("'", "'\\''")}'`)
        .stdout.trim()
        .split("\n"),
    ).toEqual(["set", "show"]);
  });
});

test("lab down removes what the tools made for its nodes", () => {
  lab(["down", "-t", file, "--cleanup"]);
  expect(leftovers(t.name, { network: t.name, hostIfs: [nodeHost, `${nodeHost}x`, `vx-${nodeHost}`] })).toEqual({
    containers: "",
    network: "",
    hosts: "0",
    netns: "0",
    hostIfs: [],
  });
});
