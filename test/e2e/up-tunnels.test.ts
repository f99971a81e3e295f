// vxlan, vxlan-stitch and veth-stitch links against a real far end: a network namespace this test
// creates, reached over its own veth pair, holding the other VTEPs. Traffic stays inside what the
// test made; everything is removed at the end.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { lab, labStream, sh, waitFor } from "../helpers/env.ts";
import { errorLines, freeSubnet, labDir, leftovers } from "../helpers/lab.ts";

const t = labDir("e2e-tunnels");
const suffix = t.name.slice(-4);
const net = `${t.name}-mgmt`.slice(0, 40);
const subnet = freeSubnet();
// Short node names keep Containerlab's host names (vx-<node>_<iface>) within Linux's 15 characters.
const n1 = `a${suffix}`;
const n2 = `b${suffix}`;
const farNs = `labfar-${suffix}`;
const hostEnd = `lf${suffix}h`;
const farEnd = `lf${suffix}f`;
const third = 1 + Math.floor(Math.random() * 250);
const hostAddr = `198.18.${third}.1`;
const farAddr = `198.18.${third}.2`;
const port = 20000 + Math.floor(Math.random() * 20000);
const vni1 = 1000 + Math.floor(Math.random() * 100000);
const vni2 = vni1 + 1;
let up: ReturnType<typeof lab>;
// veth-stitch host ends, named as Containerlab names them.
const stitchEnds = [n1, n2].map(
  (n) => `clab-s-${createHash("sha1").update(`${t.name}\0${n}\0eth2`).digest("hex").slice(0, 8)}`,
);

const inNode = (node: string, cmd: string) => sh(`docker exec clab-${t.name}-${node} sh -c '${cmd}'`);
const must = (cmd: string) => {
  const r = sh(cmd);
  if (r.code !== 0) throw new Error(`${cmd}: ${r.stderr}`);
};

beforeAll(() => {
  // The far host: a namespace with one VTEP per tunnel, each with the peer address of its node.
  must(`ip netns add ${farNs}`);
  must(`ip link add ${hostEnd} type veth peer name ${farEnd} netns ${farNs}`);
  must(`ip addr add ${hostAddr}/30 dev ${hostEnd} && ip link set ${hostEnd} up`);
  must(`ip -n ${farNs} addr add ${farAddr}/30 dev ${farEnd} && ip -n ${farNs} link set ${farEnd} up`);
  for (const [i, vni] of [
    [1, vni1],
    [2, vni2],
  ] as const) {
    must(
      `ip -n ${farNs} link add vx${i} type vxlan id ${vni} remote ${hostAddr} dstport ${port} dev ${farEnd} && ip -n ${farNs} addr add 10.77.${i}.2/30 dev vx${i} && ip -n ${farNs} link set vx${i} up`,
    );
  }
  const file = t.write(
    "tunnels.clab.yml",
    `name: ${t.name}
mgmt: { network: ${net}, ipv4-subnet: ${subnet.v4}, ipv6-subnet: ${subnet.v6} }
topology:
  defaults: { image: lab-test/linux:1 }
  nodes:
    ${n1}:
      exec: ["ip addr add 10.77.1.1/30 dev eth1", "ip addr add 10.77.3.1/30 dev eth2"]
    ${n2}:
      exec: ["ip addr add 10.77.2.1/30 dev eth1", "ip addr add 10.77.3.2/30 dev eth2"]
  links:
    - type: vxlan
      endpoint: { node: ${n1}, interface: eth1 }
      remote: ${farAddr}
      vni: ${vni1}
      dst-port: ${port}
    - type: vxlan-stitch
      endpoint: { node: ${n2}, interface: eth1 }
      remote: ${farAddr}
      vni: ${vni2}
      dst-port: ${port}
    - type: veth-stitch
      endpoints: [{ node: ${n1}, interface: eth2 }, { node: ${n2}, interface: eth2 }]
`,
  );
  up = lab(["up", "-t", file]);
});

afterAll(() => {
  t.cleanup();
  sh(`ip link del ${hostEnd}; ip netns del ${farNs}`);
});

describe("tunnel and stitched links", () => {
  test("lab up deploys them", () => {
    expect(up.stderr).not.toContain("ERROR");
    expect(up.code).toBe(0);
  });

  test("vxlan: the tunnel is the node's own interface, and the far VTEP answers through it", () => {
    // From the host: busybox ip in the node has no -d.
    const eth1 = sh(`ip -n clab-${t.name}-${n1} -d link show eth1`).stdout;
    expect(eth1).toContain(`vxlan id ${vni1} remote ${farAddr}`);
    expect(eth1).toContain(`dstport ${port}`);
    expect(inNode(n1, "ping -c 1 -W 2 10.77.1.2").stdout).toContain("1 packets received");
  });

  test("vxlan-stitch: a veth into the node, the tunnel on the host marked for lab down, joined by tc", () => {
    const vx = sh(`ip -d link show vx-${n2}_eth1`).stdout;
    expect(vx).toContain(`vxlan id ${vni2} remote ${farAddr}`);
    expect(vx).toContain(`alias lab:${t.name}`);
    expect(sh(`tc filter show dev ve-${n2}_eth1 ingress`).stdout).toContain(`Redirect to device vx-${n2}_eth1`);
    expect(inNode(n2, "ping -c 1 -W 2 10.77.2.2").stdout).toContain("1 packets received");
  });

  test("veth-stitch: two segments joined on the host, traffic flows end to end", () => {
    for (const [i, end] of stitchEnds.entries()) {
      expect(sh(`ip link show ${end}`).stdout).toMatch(/<[^>]*\bUP\b/);
      expect(sh(`tc filter show dev ${end} ingress`).stdout).toContain(`Redirect to device ${stitchEnds[1 - i]}`);
    }
    expect(inNode(n1, "ping -c 1 -W 2 10.77.3.2").stdout).toContain("1 packets received");
  });

  test("a lab up that fails after creating a host tunnel rolls it back", async () => {
    const failing = labDir("e2e-tunnels-rb");
    const node = `c${failing.name.slice(-4)}`;
    // Free when lab up checks, taken (by this test) before lab up makes its links: only the
    // kernel can refuse it then. The node's 3 s startup-delay leaves the time to take it.
    const taken = `lt${suffix}x`;
    const file = failing.write(
      "rb.clab.yml",
      `name: ${failing.name}
mgmt: { network: ${net} }
topology:
  defaults: { image: lab-test/linux:1 }
  nodes: { ${node}: { startup-delay: 3 } }
  links:
    - { type: vxlan-stitch, endpoint: { node: ${node}, interface: eth1 }, remote: ${farAddr}, vni: ${vni2 + 1}, dst-port: ${port} }
    - endpoints: ["${node}:eth2", "host:${taken}"]
`,
    );
    try {
      // Once lab up is past its checks and creating the node (which waits its startup-delay), the
      // host interface its link needs appears: the link then fails and everything is rolled back.
      const up = labStream(["up", "-t", file]);
      await waitFor(
        () => up.stderr.some((l) => l.includes("creating 1 container ")),
        20_000,
        "lab up to create the node",
      );
      must(`ip link add ${taken} type veth peer name ${taken}p`);
      const code = await up.proc.exited;
      const stderr = up.stderr.join("\n");
      expect(code).not.toBe(0);
      expect(stderr).toContain(`cannot create link ${node}:eth2 ↔ host:${taken}`);
      expect(leftovers(failing.name, { hostIfs: [`vx-${node}_eth1`, `ve-${node}_eth1`] })).toEqual({
        containers: "",
        network: "",
        hosts: "0",
        netns: "0",
        hostIfs: [],
      });
    } finally {
      sh(`ip link del ${taken}`);
      failing.cleanup();
    }
  });

  test("a vxlan remote this host has no route to is one clear line, and nothing is left", () => {
    const failing = labDir("e2e-tunnels-nr");
    // A route of type unreachable: `ip route get` fails for it; no packet is ever sent.
    const remote = `198.51.100.${1 + Math.floor(Math.random() * 250)}`;
    must(`ip route add unreachable ${remote}/32`);
    const file = failing.write(
      "nr.clab.yml",
      `name: ${failing.name}
mgmt: { network: ${net} }
topology:
  defaults: { image: lab-test/linux:1 }
  nodes: { n: {} }
  links:
    - { type: vxlan, endpoint: { node: n, interface: eth1 }, remote: ${remote}, vni: ${vni2 + 2}, dst-port: ${port} }
`,
    );
    try {
      const r = lab(["up", "-t", file]);
      expect(r.code).toBe(3);
      // Found before anything is created: the error is the only line.
      expect(errorLines(r.stderr)).toHaveLength(1);
      expect(r.stderr).toContain(`this host has no route to the vxlan remote ${remote}`);
      expect(r.stderr).toContain("parent-interface");
      expect(leftovers(failing.name).containers).toBe("");
    } finally {
      sh(`ip route del unreachable ${remote}/32`);
      failing.cleanup();
    }
  });

  test("lab down removes the host tunnel and the stitch ends with the containers", () => {
    const r = lab(["down", "--name", t.name]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`vx-${n2}_eth1`);
    expect(leftovers(t.name, { network: net, hostIfs: [`vx-${n2}_eth1`, `ve-${n2}_eth1`, ...stitchEnds] })).toEqual({
      containers: "",
      network: "",
      hosts: "0",
      netns: "0",
      hostIfs: [],
    });
  });
});
