import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { LabError } from "../errors.ts";
import { resolveLab } from "./index.ts";
import { parseTopology } from "./load.ts";
import { nodeKeys } from "./schema.ts";

const dir = "/tmp/lab-topology-test";
// Every node needs an image; tests that are not about images get one from `defaults`, added where it
// leaves the line and column of everything else unchanged.
function withDefaultImage(text: string): string {
  if (text.includes("defaults:")) return text;
  if (text.includes("topology: {")) return text.replace("topology: {", "topology: { defaults: { image: test:1 },");
  return `${text.trimEnd()}\n  defaults: { image: "test:1" }\n`;
}
const load = (text: string, env: Record<string, string> = {}) =>
  resolveLab(parseTopology({ path: `${dir}/t.clab.yml`, dir, text: withDefaultImage(text), templates: [] }, env), {
    env,
    owner: "tester",
  });
const fail = (text: string): string => {
  try {
    load(text);
  } catch (error) {
    expect(error).toBeInstanceOf(LabError);
    return (error as LabError).message;
  }
  throw new Error("expected the topology to be rejected");
};

describe("inheritance and naming", () => {
  const lab = load(`
name: inh
topology:
  defaults:
    env: { A: defaults, B: defaults }
    labels: { team: net }
    exec: ["echo d"]
    image: img:defaults
  kinds:
    linux:
      env: { B: kind, C: kind }
      cmd: sleep 1
      group: g1
  groups:
    g1:
      env: { C: group }
      image: img:group
      exec: ["echo g"]
  nodes:
    n1:
      env: { D: node }
      exec: ["echo n", "echo g"]
    n2:
      kind: linux
      image: img:node
      group: g2
  `);
  const [n1, n2] = lab.nodes;
  test("scalars: first set wins node → group → kind → defaults", () => {
    expect(n1?.image).toBe("img:group");
    expect(n2?.image).toBe("img:node");
    expect(n1?.cmd).toEqual(["sleep", "1"]);
  });
  test("maps merge, the more specific level winning", () => {
    expect(n1?.env).toMatchObject({ A: "defaults", B: "kind", C: "group", D: "node" });
  });
  test("lists concatenate and de-duplicate", () => {
    expect(n1?.exec).toEqual(["echo n", "echo g", "echo d"]);
  });
  test("group comes from the kind when the node has none", () => {
    expect(n1?.group).toBe("g1");
    expect(n2?.group).toBe("g2");
  });
  test("names, lab dir and Containerlab's labels", () => {
    expect(n1?.longName).toBe("clab-inh-n1");
    expect(lab.labDir).toBe(`${dir}/clab-inh`);
    expect(n1?.labels).toMatchObject({
      containerlab: "inh",
      "clab-node-name": "n1",
      "clab-node-kind": "linux",
      "clab-node-group": "g1",
      "clab-topo-file": `${dir}/t.clab.yml`,
      "clab-node-lab-dir": `${dir}/clab-inh/n1`,
      team: "net",
    });
    expect(n1?.env.CLAB_LABEL_TEAM).toBe("net");
  });
  test("linux kind defaults: restart always, privileged", () => {
    expect(n1?.restartPolicy).toBe("always");
    expect(n1?.privileged).toBe(true);
  });
  test("default management network", () => {
    expect(lab.mgmt).toMatchObject({
      network: "clab",
      ipv4Subnet: "172.20.20.0/24",
      ipv6Subnet: "3fff:172:20:20::/64",
    });
  });
});

describe("prefix and magic variables", () => {
  test.each([
    [undefined, "clab-p-a"],
    ['""', "a"],
    ["__lab-name", "p-a"],
    ["lab", "lab-p-a"],
  ])("prefix %s", (prefix, name) => {
    const lab = load(`name: p\n${prefix === undefined ? "" : `prefix: ${prefix}\n`}topology: { nodes: { a: {} } }`);
    expect(lab.nodes[0]?.longName).toBe(name);
  });
  test("magic variables in exec and binds", () => {
    const lab = load(`
name: m
topology:
  nodes:
    a:
      exec: ["echo __clabNodeName__ __clabNodeDir__ __clabDir__ __clabLabName__"]
      binds: ["__clabNodeDir__/cfg:/cfg"]`);
    expect(lab.nodes[0]?.exec[0]).toBe(`echo a ${dir}/clab-m/a ${dir}/clab-m clab-m`);
    expect(lab.nodes[0]?.binds).toContain(`${dir}/clab-m/a/cfg:/cfg`);
  });
  test("environment expansion before parsing", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell-style expansion under test
    const lab = load("name: ${LAB:-dflt}\ntopology: { nodes: { a: { image: '${IMG}' } } }", { IMG: "alpine:3" });
    expect(lab.name).toBe("dflt");
    expect(lab.nodes[0]?.image).toBe("alpine:3");
  });
});

describe("links", () => {
  test("brief, extended and special links resolve", () => {
    const lab = load(`
name: l
topology:
  nodes: { a: {}, b: {} }
  links:
    - endpoints: ["a:eth1", "b:eth1"]
      mtu: 1500
    - type: veth
      endpoints: [{ node: a, interface: eth2, mac: "02:00:00:00:00:01" }, { node: b, interface: eth2 }]
    - endpoints: ["a:eth3", "host:a-eth3"]
    - endpoints: ["mgmt-net:b-eth3", "b:eth3"]
    - type: dummy
      endpoint: { node: a, interface: dummy0 }`);
    expect(lab.links).toEqual([
      {
        type: "veth",
        a: { node: "a", iface: "eth1", mac: undefined },
        b: { node: "b", iface: "eth1", mac: undefined },
        mtu: 1500,
        mtuDeclared: true,
      },
      {
        type: "veth",
        a: { node: "a", iface: "eth2", mac: "02:00:00:00:00:01" },
        b: { node: "b", iface: "eth2", mac: undefined },
        mtu: 9500,
      },
      { type: "host", endpoint: { node: "a", iface: "eth3", mac: undefined }, hostInterface: "a-eth3", mtu: 9500 },
      { type: "mgmt-net", endpoint: { node: "b", iface: "eth3", mac: undefined }, hostInterface: "b-eth3", mtu: 9500 },
      { type: "dummy", endpoint: { node: "a", iface: "dummy0", mac: undefined }, mtu: 9500 },
    ]);
  });
  test("vxlan, vxlan-stitch and veth-stitch resolve; a tunnel's mtu is left to the kernel unless given", () => {
    const lab = load(`
name: l
topology:
  nodes: { a: {}, b: {} }
  links:
    - type: vxlan
      endpoint: { node: a, interface: eth1 }
      remote: 192.0.2.10
      vni: 100
      dst-port: 14789
    - type: vxlan-stitch
      endpoint: { node: b, interface: eth1 }
      remote: "2001:db8::10"
      vni: 101
      dst-port: 4789
      src-port: 4790
      mtu: 1400
    - type: veth-stitch
      endpoints: [{ node: a, interface: eth2 }, { node: b, interface: eth2 }]`);
    expect(lab.links).toEqual([
      {
        type: "vxlan",
        endpoint: { node: "a", iface: "eth1", mac: undefined },
        remote: "192.0.2.10",
        vni: 100,
        dstPort: 14789,
        srcPort: undefined,
        parent: undefined,
        mtu: undefined,
      },
      {
        type: "vxlan-stitch",
        endpoint: { node: "b", iface: "eth1", mac: undefined },
        remote: "2001:db8::10",
        vni: 101,
        dstPort: 4789,
        srcPort: 4790,
        parent: undefined,
        mtu: 1400,
        mtuDeclared: true,
      },
      {
        type: "veth-stitch",
        a: { node: "a", iface: "eth2", mac: undefined },
        b: { node: "b", iface: "eth2", mac: undefined },
        mtu: 9500,
      },
    ]);
  });
  test("a vxlan remote must be an address, and a stitch cannot pin a MAC", () => {
    const bad = fail(
      "name: x\ntopology:\n  nodes: { a: {}, b: {} }\n  links:\n    - { type: vxlan, endpoint: { node: a, interface: eth1 }, remote: far-host, vni: 1, dst-port: 14789 }\n",
    );
    expect(bad).toContain('topology.links[0].remote: vxlan remote "far-host" is not an IPv4 or IPv6 address');
    const mac = fail(
      "name: x\ntopology:\n  nodes: { a: {}, b: {} }\n  links:\n    - type: veth-stitch\n      endpoints: [{ node: a, interface: eth1, mac: 02:00:00:00:00:01 }, { node: b, interface: eth1 }]\n",
    );
    expect(mac).toContain("topology.links[0].endpoints[0].mac: a veth-stitch endpoint cannot set mac");
  });
});

describe("link steps and their iproute2/tc lines", async () => {
  const { planDeploy } = await import("../deploy/plan.ts");
  const { linkBatches } = await import("../deploy/links.ts");
  const lab = load(`
name: lk
topology:
  nodes: { a: {}, node-with-long-name: {} }
  links:
    - { type: vxlan, endpoint: { node: a, interface: eth1 }, remote: 192.0.2.10, vni: 100, dst-port: 14789, src-port: 5000 }
    - { type: vxlan-stitch, endpoint: { node: a, interface: eth2 }, remote: 192.0.2.10, vni: 101, dst-port: 14789 }
    - { type: vxlan-stitch, endpoint: { node: node-with-long-name, interface: eth1 }, remote: 192.0.2.11, vni: 102, dst-port: 14789, mtu: 1450 }
    - type: veth-stitch
      endpoints: [{ node: a, interface: eth3 }, { node: node-with-long-name, interface: eth3 }]`);
  const steps = planDeploy(lab).links;
  const pids = new Map([
    ["clab-lk-a", 11],
    ["clab-lk-node-with-long-name", 22],
  ]);
  const batches = linkBatches(steps, {
    pids,
    netns: new Map([...pids.keys()].map((k) => [k, k])),
    mgmtBridge: "br-x",
    dummy: true,
    routes: new Map([
      ["192.0.2.10", "eth0"],
      ["192.0.2.11", "eth9"],
    ]),
  });
  test("Containerlab's host names when they fit, a hash when they do not", () => {
    expect(steps[1]?.stitch).toEqual(["ve-a_eth2", "vx-a_eth2"]);
    expect(steps[2]?.stitch?.every((n) => /^v[ex]-[0-9a-f]{12}$/.test(n))).toBe(true);
    expect(steps[3]?.stitch?.every((n) => /^clab-s-[0-9a-f]{8}$/.test(n))).toBe(true);
    expect(steps[1]?.vxlan?.owner).toBe("lab:lk:a");
  });
  test("vxlan goes straight into the node; the stitched tunnel stays on the host with an alias", () => {
    const root = batches.root.map((l) => l.argv.join(" "));
    expect(root[0]).toMatch(
      /^link add name eth1 netns 11 address aa:c1:ab(:[0-9a-f]{2}){3} up type vxlan id 100 remote 192\.0\.2\.10 dstport 14789 dev eth0 srcport 5000 5001$/,
    );
    expect(root).toContain("link add name vx-a_eth2 up type vxlan id 101 remote 192.0.2.10 dstport 14789 dev eth0");
    expect(root).toContain("link set dev vx-a_eth2 alias lab:lk:a");
    expect(
      root.some((c) => / mtu 1450 up type vxlan id 102 remote 192\.0\.2\.11 dstport 14789 dev eth9$/.test(c)),
    ).toBe(true);
    expect(root).toContain("link set dev ve-a_eth2 up");
  });
  test("each stitch is an ingress qdisc and a mirred redirect on both sides", () => {
    const tc = batches.tc.map((l) => l.argv.join(" "));
    expect(tc.slice(0, 4)).toEqual([
      "qdisc add dev ve-a_eth2 handle ffff: ingress",
      "filter add dev ve-a_eth2 parent ffff: protocol all u32 match u32 0 0 action mirred egress redirect dev vx-a_eth2",
      "qdisc add dev vx-a_eth2 handle ffff: ingress",
      "filter add dev vx-a_eth2 parent ffff: protocol all u32 match u32 0 0 action mirred egress redirect dev ve-a_eth2",
    ]);
    expect(tc).toHaveLength(12);
  });
});

describe("bad input: file, line, column, key path and a hint", () => {
  test("a node without an image", () => {
    const message = fail("name: x\ntopology:\n  defaults: {}\n  nodes:\n    a: {}\n");
    expect(message).toBe(
      "t.clab.yml:5:5: topology.nodes.a: node a has no image (Set image: on the node, its group, its kind or defaults)",
    );
  });
  test("unknown key suggests the closest", () => {
    expect(fail("name: x\ntopology:\n  nodes:\n    a:\n      imagee: alpine\n")).toBe(
      't.clab.yml:5:7: topology.nodes.a.imagee: unknown key "imagee" (did you mean "image"?)',
    );
  });
  test("unknown kind lists the supported ones", () => {
    const message = fail("name: x\ntopology:\n  nodes:\n    a: { kind: nokia_srlinx }\n");
    expect(message).toContain(
      't.clab.yml:4:16: topology.nodes.a.kind: unknown kind "nokia_srlinx" (did you mean "nokia_srlinux"?',
    );
  });
  test("a wrong type names what was expected", () => {
    expect(fail("name: x\ntopology:\n  nodes:\n    a: { startup-delay: soon }\n")).toContain(
      'topology.nodes.a.startup-delay: expected number, got "soon"',
    );
  });
  test("link to an unknown node", () => {
    expect(
      fail('name: x\ntopology:\n  nodes: { srl1: {}, b: {} }\n  links:\n    - endpoints: ["srl:e1", "b:eth1"]\n'),
    ).toContain('link endpoint "srl:e1" names unknown node "srl" (did you mean "srl1"?)');
  });
  test("interface used twice", () => {
    const m = fail(
      'name: x\ntopology:\n  nodes: { a: {}, b: {} }\n  links:\n    - endpoints: ["a:eth1", "b:eth1"]\n    - endpoints: ["a:eth1", "b:eth2"]\n',
    );
    expect(m).toContain(
      "t.clab.yml:6:19: topology.links[1].endpoints[0]: interface a:eth1 is used by more than one link (first used at line 5)",
    );
  });
  test("duplicate static IP and IP outside the subnet", () => {
    const m = fail(`name: x
topology:
  nodes:
    a: { mgmt-ipv4: 172.20.20.5 }
    b: { mgmt-ipv4: 172.20.20.5 }
    c: { mgmt-ipv4: 10.0.0.5 }
`);
    expect(m).toContain(
      "t.clab.yml:5:21: topology.nodes.b.mgmt-ipv4: mgmt-ipv4 172.20.20.5 is also the address of node a",
    );
    expect(m).toContain(
      "t.clab.yml:6:21: topology.nodes.c.mgmt-ipv4: mgmt-ipv4 10.0.0.5 is outside the management subnet 172.20.20.0/24",
    );
  });
  test("wait-for cycle", () => {
    const m = fail(`name: x
topology:
  nodes:
    a: { stages: { create: { wait-for: [{ node: b }] } } }
    b: { stages: { create: { wait-for: [{ node: a, stage: healthy }] } } }
`);
    expect(m).toContain("dependency cycle: a → b → a");
  });
  test("every error is reported at once, one line each, in file order", () => {
    const m = fail(
      'name: x\ntopology:\n  nodes:\n    a: { kind: nope, imagee: x }\n    b: { ports: ["99999"] }\n  links:\n    - endpoints: ["a:eth1", "zz:eth1"]\n',
    );
    const lines = m.split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[0]).toContain('t.clab.yml:4:16: topology.nodes.a.kind: unknown kind "nope"');
    expect(lines[1]).toContain('t.clab.yml:4:22: topology.nodes.a.imagee: unknown key "imagee"');
    expect(lines[2]).toContain("t.clab.yml:5:18: topology.nodes.b.ports[0]");
    expect(lines[3]).toContain(
      't.clab.yml:7:29: topology.links[0].endpoints[1]: link endpoint "zz:eth1" names unknown node "zz"',
    );
  });
  test("invalid YAML points at the spot", () => {
    expect(fail("name: x\ntopology:\n  nodes: {a: [}\n")).toMatch(/^t\.clab\.yml:3:\d+: invalid YAML/);
  });
  test("missing bind source", () => {
    expect(fail("name: x\ntopology:\n  nodes:\n    a: { binds: ['./nope:/x'] }\n")).toContain(
      `bind source ${dir}/nope does not exist`,
    );
  });
});

describe("schema parity with Containerlab", () => {
  const schema = JSON.parse(readFileSync(join(import.meta.dir, "../../test/fixtures/clab.schema.json"), "utf8"));
  test("every node key Containerlab's schema accepts is accepted", () => {
    const theirs = Object.keys(schema.definitions["node-config"].properties);
    expect(theirs.filter((k) => !(k in nodeKeys))).toEqual([]);
  });
  test("every kind in the schema's enum is known", () => {
    const kinds: string[] = schema.definitions["node-config"].properties.kind.enum;
    const unknown = kinds.filter((k) => {
      try {
        load(`name: k\ntopology: { nodes: { a: { kind: ${k} } } }`);
        return false;
      } catch (e) {
        return (e as Error).message.includes("unknown kind");
      }
    });
    expect(unknown).toEqual([]);
  });
});

describe("publish", () => {
  test("entries parse, tcp with an allow-list becomes tls", () => {
    const lab = load(
      'name: p\ntopology:\n  nodes:\n    a: { publish: [tcp/22, http/3000, "tls/57400/alice@x.com,example.com"] }\n',
    );
    expect(lab.nodes[0]?.publish.map((p) => [p.type, p.port, p.emails, p.domains])).toEqual([
      ["tcp", 22, [], []],
      ["http", 3000, [], []],
      ["tls", 57400, ["alice@x.com"], ["example.com"]],
    ]);
  });
  test("unknown type and bad port are file:line errors", () => {
    const m = fail("name: p\ntopology:\n  nodes:\n    a: { publish: [udp/53, tcp/70000] }\n");
    expect(m).toContain('topology.nodes.a.publish[0]: "udp/53": unknown type "udp" (use http, https, tls, tcp or ssh)');
    expect(m).toContain('topology.nodes.a.publish[1]: "tcp/70000": port must be 1-65535');
  });
  test("more than 5 tcp-based sockets exceeds the account limit", () => {
    const m = fail("name: p\ntopology:\n  nodes:\n    a: { publish: [tcp/1, tcp/2, tcp/3, tls/4, tcp/5, tcp/6] }\n");
    expect(m).toContain(
      "t.clab.yml:4:19: topology.nodes.a.publish: publish tcp/6 exceeds the account limit of 5 tcp-based sockets",
    );
  });
});

describe("startup-config", async () => {
  const { mkdirSync, writeFileSync } = await import("node:fs");
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/r1.cfg`, "configure system name r1\n");
  writeFileSync(`${dir}/srl.json`, '{ "srl_nokia-system:system": {} }\n');
  const lab = load(`
name: sc
topology:
  kinds:
    nokia_sros: { startup-config: r1.cfg }
  nodes:
    sros1: { kind: nokia_sros }
    sros2: { kind: nokia_sros, enforce-startup-config: true }
    ceos1:
      kind: ceos
      startup-config: |
        hostname ceos1
        interface Ethernet1
    c8k: { kind: cisco_c8000v, startup-config: ./r1.cfg }
    srl1: { kind: srl, startup-config: srl.json }
    srl2: { kind: srl, startup-config: r1.cfg }
    plain: { startup-config: r1.cfg }`);
  const node = (n: string) => lab.nodes.find((x) => x.name === n);
  test("each kind gets it where it boots from, kinds inherit it, enforce is per node", () => {
    expect(node("sros1")?.startupConfig).toEqual({
      text: "configure system name r1\n",
      origin: "r1.cfg",
      target: `${dir}/clab-sc/sros1/tftpboot/config.txt`,
      enforce: false,
    });
    expect(node("sros1")?.binds).toContain(`${dir}/clab-sc/sros1/tftpboot:/tftpboot`);
    expect(node("sros2")?.startupConfig?.enforce).toBe(true);
    expect(node("c8k")?.startupConfig?.target).toBe(`${dir}/clab-sc/c8k/config/startup-config.cfg`);
    expect(node("srl1")?.startupConfig?.target).toBe(`${dir}/clab-sc/srl1/config/config.json`);
  });
  test("a value over several lines is the configuration itself", () => {
    expect(node("ceos1")?.startupConfig).toMatchObject({
      text: "hostname ceos1\ninterface Ethernet1\n",
      target: `${dir}/clab-sc/ceos1/flash/startup-config`,
    });
  });
  test("kinds that cannot use it say so instead of dropping it silently", () => {
    expect(node("plain")?.startupConfig).toBeUndefined();
    expect(node("srl2")?.startupConfig).toBeUndefined();
    expect(lab.notes).toContain("node plain: kind linux reads no startup-config; it is not used");
    // SR Linux CLI snippets are applied after boot, as Containerlab does.
    expect(node("srl2")?.startupCli).toBe("configure system name r1\n");
  });
  test("cEOS waits for its interfaces at boot and has its own system MAC", () => {
    const ceos = node("ceos1");
    expect(ceos?.cmd?.slice(0, 2)).toEqual(["bash", "-c"]);
    expect(ceos?.cmd?.[2]).toStartWith('/mnt/flash/if-wait.sh ; exec /sbin/init systemd.setenv="CEOS=1" ');
    expect(ceos?.files.map((f) => [f.path, f.mode, f.keep])).toEqual([
      [`${dir}/clab-sc/ceos1/flash/if-wait.sh`, 0o755, undefined],
      [`${dir}/clab-sc/ceos1/flash/system_mac_address`, undefined, true],
    ]);
    expect(ceos?.files[1]?.text).toMatch(/^00:1c:73(:[0-9a-f]{2}){3}$/);
  });
  test("a startup-config file is a Go template over the node, as in Containerlab", async () => {
    const { writeFileSync } = await import("node:fs");
    writeFileSync(`${dir}/tpl.cfg`, "hostname {{ .ShortName }}\n! {{ .Kind }} {{ .MgmtIPv4Address }}\n");
    writeFileSync(`${dir}/bad.cfg`, "ok\n{{ .ShortName \n");
    const lab = load(
      "name: t\ntopology:\n  nodes:\n    r9: { kind: ceos, mgmt-ipv4: 172.20.20.9, startup-config: tpl.cfg }\n",
    );
    expect(lab.nodes[0]?.startupConfig).toMatchObject({
      origin: "tpl.cfg",
      text: "hostname r9\n! ceos 172.20.20.9\n",
    });
    expect(fail("name: x\ntopology:\n  nodes:\n    a: { kind: ceos, startup-config: bad.cfg }\n")).toContain(
      `topology.nodes.a.startup-config: startup-config ${dir}/bad.cfg:3: template: unclosed action started at line 2`,
    );
  });
  test("a missing file is a file:line error", () => {
    expect(fail("name: x\ntopology:\n  nodes:\n    a: { kind: ceos, startup-config: nope.cfg }\n")).toContain(
      `t.clab.yml:4:38: topology.nodes.a.startup-config: startup-config ${dir}/nope.cfg does not exist`,
    );
  });
});

describe("NOS interface names", () => {
  test("map to the Linux names the containers use, as Containerlab maps them", () => {
    const lab = load(`
name: al
topology:
  nodes:
    srl: { kind: srl }
    c8k: { kind: cisco_c8000v }
    xr: { kind: cisco_xrv9k }
    sr: { kind: nokia_sros }
    n9k: { kind: cisco_n9kv }
  links:
    - endpoints: ["srl:ethernet-1/1", "c8k:Gi2"]
    - endpoints: ["srl:ethernet-1/2/3", "xr:Gi0/0/0/0"]
    - endpoints: ["sr:1/1/4", "n9k:Ethernet1/3"]
    - endpoints: ["sr:1/1/c2/1", "srl:e1-5"]`);
    expect(lab.links.map((l) => (l.type === "veth" ? `${l.a.iface} ${l.b.iface}` : ""))).toEqual([
      "e1-1 eth1",
      "e1-2-3 eth1",
      "eth4 eth3",
      "eth2 e1-5",
    ]);
  });
  test("an alias and its Linux name are the same interface; unmappable names say why", () => {
    expect(
      fail(
        'name: x\ntopology:\n  nodes: { s: { kind: srl }, b: {} }\n  links:\n    - endpoints: ["s:ethernet-1/1", "b:eth1"]\n    - endpoints: ["s:e1-1", "b:eth2"]\n',
      ),
    ).toContain("interface s:e1-1 is used by more than one link");
    expect(
      fail(
        'name: x\ntopology:\n  nodes: { c: { kind: cisco_c8000v }, b: {} }\n  links:\n    - endpoints: ["c:Gi1", "b:eth1"]\n',
      ),
    ).toContain('c: extracted interface index for "Gi1" is out of bounds: 0 ! >= 1');
    expect(
      fail(
        'name: x\ntopology:\n  nodes: { r: { kind: nokia_sros }, b: {} }\n  links:\n    - endpoints: ["r:2/1/1", "b:eth1"]\n',
      ),
    ).toContain('r: interface "2/1/1" cannot be mapped on a node without components');
  });
});

describe("extras", async () => {
  const { mkdirSync, writeFileSync } = await import("node:fs");
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/EosIntfMapping.json`, "{}\n");
  writeFileSync(`${dir}/agent.yml`, "agent: {}\n");
  test("cEOS files go to flash, SR Linux agents are mounted for the app manager", () => {
    const lab = load(`
name: ex
topology:
  nodes:
    ce: { kind: ceos, extras: { ceos-copy-to-flash: [EosIntfMapping.json] } }
    srl: { kind: srl, extras: { srl-agents: [./agent.yml] } }
    plain: { extras: { ceos-copy-to-flash: [EosIntfMapping.json] } }`);
    const node = (n: string) => lab.nodes.find((x) => x.name === n);
    expect(node("ce")?.files).toContainEqual({
      path: `${dir}/clab-ex/ce/flash/EosIntfMapping.json`,
      source: `${dir}/EosIntfMapping.json`,
    });
    expect(node("srl")?.binds).toContain(`${dir}/agent.yml:/etc/opt/srlinux/appmgr/agent.yml:ro`);
    expect(lab.notes).toContain(
      "node plain: extras.ceos-copy-to-flash only applies to kind arista_ceos; it is not used",
    );
  });
  test("a missing extras file is a file:line error", () => {
    expect(
      fail("name: x\ntopology:\n  nodes:\n    a: { kind: ceos, extras: { ceos-copy-to-flash: [nope.json] } }\n"),
    ).toContain(
      `topology.nodes.a.extras.ceos-copy-to-flash[0]: ceos-copy-to-flash file ${dir}/nope.json does not exist`,
    );
  });
});

describe("vrnetlab", () => {
  test("SR OS takes its variant from the type; VMs are told the management subnets", () => {
    const lab = load(
      "name: v\ntopology:\n  nodes:\n    sr: { kind: nokia_sros, type: sr-1e }\n    sr2: { kind: vr-sros }\n    c8k: { kind: cisco_c8000v }\n",
    );
    const node = (n: string) => lab.nodes.find((x) => x.name === n);
    expect(node("sr")?.cmd).toEqual(["--trace", "--connection-mode", "tc", "--hostname", "sr", "--variant", "sr-1e"]);
    expect(node("sr2")?.cmd?.at(-1)).toBe("sr-1");
    expect(node("c8k")?.cmd).toContain("--username");
    expect(node("c8k")?.env).toMatchObject({
      DOCKER_NET_V4_ADDR: "172.20.20.0/24",
      DOCKER_NET_V6_ADDR: "3fff:172:20:20::/64",
    });
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));
