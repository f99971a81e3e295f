import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deviceName, ownershipAltName, planDeploy } from "../deploy/plan.ts";
import { LabError } from "../errors.ts";
import { findKind } from "../kinds/index.ts";
import { formatDiagnostic } from "./diagnostics.ts";
import { loadLab, resolveLab } from "./index.ts";
import { parseTopology } from "./load.ts";

// What a Containerlab user's files need from lab, each case worked out from Containerlab's code.

const dir = mkdtempSync(join(tmpdir(), "lab-compat-"));
const load = (text: string, env: Record<string, string> = {}) =>
  resolveLab(parseTopology({ path: `${dir}/t.clab.yml`, dir, text, templates: [] }, env), { env, owner: "tester" });
const fail = (text: string): string => {
  try {
    load(text);
  } catch (error) {
    expect(error).toBeInstanceOf(LabError);
    return (error as LabError).message;
  }
  throw new Error("expected the topology to be rejected");
};
describe("YAML read as Go's yaml.v2 reads it", () => {
  test("numbers and booleans where Containerlab takes strings are read as written", () => {
    const lab = load(`name: s
topology:
  defaults: { image: "i:1" }
  nodes:
    a: { kind: ciena_saos, type: 5132, env: { A: 1.0, B: yes, C: 0x10 }, labels: { n: 3 }, user: 0 }
    no: {}
    "1": {}
`);
    const a = lab.nodes.find((n) => n.name === "a");
    expect(a?.type).toBe("5132");
    expect(a?.env).toMatchObject({ A: "1.0", B: "yes", C: "0x10" });
    expect(a?.labels.n).toBe("3");
    expect(a?.user).toBe("0");
    expect(lab.nodes.map((n) => n.name)).toEqual(["1", "a", "no"]);
  });
  test("a real type error keeps its position", () => {
    expect(fail('name: s\ntopology:\n  nodes:\n    a: { image: "i:1", type: { x: 1 } }\n')).toContain(
      "t.clab.yml:4:30: topology.nodes.a.type: expected string, got Object",
    );
  });
  test("YAML 1.1 booleans", () => {
    const lab = load('name: s\ntopology:\n  nodes:\n    a: { image: "i:1", privileged: no, auto-remove: on }\n');
    expect(lab.nodes[0]?.privileged).toBe(false);
    expect(lab.nodes[0]?.autoRemove).toBe(true);
  });
});

describe("interface names, per kind, as Containerlab's node code maps them", () => {
  // kind, name in the topology, Linux name (or the start of the error).
  const cases: [string, string, string][] = [
    ["nokia_srlinux", "ethernet-1/1", "e1-1"],
    ["nokia_srlinux", "ethernet-2/3/4", "e2-3-4"],
    ["nokia_srlinux", "e1-5", "e1-5"],
    ["nokia_srlinux", "eth1", 'error: interface name "eth1" doesn\'t match'],
    ["nokia_srsim", "1/2/3", "e1-2-3"],
    ["nokia_srsim", "1/x2/3/c4/5", "e1-x2-3-c4-5"],
    ["nokia_srsim", "e1-1-1", "e1-1-1"],
    ["nokia_sros", "1/1/3", "eth3"],
    ["nokia_sros", "1/1/c2/1", "eth2"],
    ["nokia_sros", "eth5", "eth5"],
    ["nokia_sros", "1/1/c2/2", 'error: interface "1/1/c2/2" uses a breakout sub-port'],
    ["f5_bigip-ve", "1.1", "eth1"],
    ["f5_bigip-ve", "1.3", "eth3"],
    ["cisco_c8000v", "Gi2", "eth1"],
    ["cisco_c8000v", "GigabitEthernet 3", "eth2"],
    ["cisco_csr1000v", "Gi4", "eth3"],
    ["cisco_xrv9k", "Gi0/0/0/0", "eth1"],
    ["cisco_xrv9k", "TenGigE0/0/0/2", "eth3"],
    ["cisco_xrv", "Gi0/0/0/1", "eth2"],
    ["cisco_xrd_vrouter", "Te0/0/0/0", "eth1"],
    ["cisco_n9kv", "Ethernet1/1", "eth1"],
    ["cisco_cat9kv", "Gi1/0/2", "eth2"],
    ["cisco_ftdv", "Gi0/0", "eth1"],
    ["cisco_asav", "GigabitEthernet0/1", "eth2"],
    ["cisco_vios", "Gi0", "eth1"],
    ["cisco_sdwan", "eth1", "eth1"],
    ["cisco_iol", "Ethernet0/1", "eth1"],
    ["cisco_iol", "e1/0", "eth4"],
    ["cisco_iol", "e1/3", "eth7"],
    ["cisco_iol", "e0/0", "error: management interface Ethernet0/0, e0/0 or eth0 is not allowed"],
    ["juniper_vmx", "ge-0/0/0", "eth1"],
    ["juniper_vqfx", "xe-0/0/2", "eth3"],
    ["juniper_vsrx", "ge-0/0/1", "eth2"],
    ["juniper_vjunosrouter", "ge-0/0/0", "eth1"],
    ["juniper_vjunosswitch", "et-0/0/5", "eth6"],
    ["juniper_vjunosevolved", "et-0/0/0", "eth1"],
    ["juniper_cjunosevolved", "et-0/0/0", "eth4"],
    ["arista_veos", "Ethernet1/2", "eth2"],
    ["paloalto_panos", "Ethernet1/1", "eth1"],
    ["mikrotik_ros", "ether2", "eth1"],
    ["aruba_aoscx", "1/1/1", "eth1"],
    ["fortinet_fortigate", "port2", "eth1"],
    ["ciena_saos", "1", "eth1"],
    ["ciena_saos", "eth4", "eth4"],
    ["openbsd", "vio1", "eth1"],
    ["freebsd", "vtnet2", "eth2"],
    ["nvidia_cumulusvx", "swp1", "eth1"],
    ["spirent_stc", "port1", "eth1"],
    ["spirent_stc", "eth1", 'error: interface name "eth1" doesn\'t match portX'],
    ["dell_ftosv", "eth1", "eth1"],
    ["dell_ftosv", "ethernet1/1/1", 'error: interface name "ethernet1/1/1" does not match'],
    ["linux", "anything-goes", "anything-goes"],
  ];
  test.each(cases)("%s %s → %s", (kind, name, want) => {
    const got = findKind(kind)?.interfaces?.map(name) ?? name;
    if (want.startsWith("error: ")) {
      expect(typeof got).toBe("object");
      expect((got as { error: string }).error).toStartWith(want.slice(7));
    } else expect(got).toBe(want);
  });

  test("a NOS name keeps its spelling as the interface alias and an altname", () => {
    const lab = load(`name: al
topology:
  defaults: { image: "i:1" }
  nodes: { s: { kind: srl }, b: {} }
  links:
    - endpoints: ["s:ethernet-1/1", "b:eth1"]
`);
    const [link] = planDeploy(lab).links;
    expect(link?.a).toMatchObject({
      iface: "e1-1",
      alias: "ethernet-1/1",
      altnames: ["ethernet-1-1", ownershipAltName("s", "e1-1")],
    });
    // Containerlab's marker: clab-o- and 16 hex digits of sha1("s\0e1-1").
    expect(ownershipAltName("s", "e1-1")).toBe("clab-o-bbb7a50ac78f97df");
  });

  test("names over 15 characters get a short stable device name and the full one as altname", () => {
    const lab = load(`name: lg
topology:
  defaults: { image: "i:1" }
  nodes: { some_very_long_node_name_l1: {} }
  links:
    - endpoints: ["some_very_long_node_name_l1:eth1", "host:some_very_long_node_name_l1_eth1"]
`);
    const step = planDeploy(lab).links[0];
    const dev = deviceName("lg", "host", "some_very_long_node_name_l1_eth1");
    expect(dev.name).toMatch(/^clab-[0-9a-f]{8}$/);
    expect(step?.b).toMatchObject({
      where: "host",
      iface: dev.name,
      altnames: ["some_very_long_node_name_l1_eth1", ownershipAltName("host", "some_very_long_node_name_l1_eth1")],
    });
  });
});

describe("link addresses (Containerlab's 25-link-vars-ip)", () => {
  const text = (links: string) => `name: ip
topology:
  defaults: { image: "i:1" }
  nodes: { n1: {}, n2: {}, n3: {}, s: { kind: srl } }
  links:
${links}`;
  test("brief lists and endpoint fields, with vars, reach the model and plan", () => {
    const lab = load(
      text(`    - endpoints: [n1:eth1, n2:eth1]
      ipv4: [192.168.0.1/24, 192.168.0.2/24]
      ipv6: [2001:DB8:abc1::1/64, 2001:db8:abc1::2/64]
    - type: veth
      endpoints:
        - { node: n1, interface: eth3, ipv4: 192.168.3.1/24, vars: { foo: bar, n: 2 } }
        - { node: n2, interface: eth3, ipv4: 192.168.3.2/24 }
      labels: { role: core }
    - endpoints: [n1:eth4, n3:eth1]
      ipv4: ["", 192.168.4.3/24]
      vars: { foo: bar }
    - endpoints: [s:e1-1, n3:eth2]
      ipv4: [10.0.0.1/31, 10.0.0.0/31]
`),
    );
    const [l1, l2, l3, l4] = lab.links;
    expect(l1).toMatchObject({
      a: { ipv4: "192.168.0.1/24", ipv6: "2001:db8:abc1::1/64" },
      b: { ipv4: "192.168.0.2/24", ipv6: "2001:db8:abc1::2/64" },
    });
    expect(l2).toMatchObject({ a: { ipv4: "192.168.3.1/24", vars: { foo: "bar", n: 2n } }, labels: { role: "core" } });
    expect(l3).toMatchObject({ b: { ipv4: "192.168.4.3/24" }, vars: { foo: "bar" } });
    expect(l3?.type === "veth" && l3.a.ipv4).toBeFalsy();
    // lab puts the addresses on linux nodes itself; SR Linux gets them from its configuration.
    const steps = planDeploy(lab).links;
    expect(steps[0]?.a.addresses).toEqual(["192.168.0.1/24", "2001:db8:abc1::1/64"]);
    expect(steps[3]?.a.addresses).toBeUndefined();
    expect(steps[3]?.b?.addresses).toEqual(["10.0.0.0/31"]);
    expect(l4?.type).toBe("veth");
  });
  test("bad prefixes, wrong families, too many entries and reused addresses are file:line errors", () => {
    const msg = fail(
      text(`    - endpoints: [n1:eth1, n2:eth1]
      ipv4: [192.168.0.1, 2001:db8::1/64]
    - endpoints: [n1:eth2, n2:eth2]
      ipv4: [10.0.0.1/24, 10.0.0.2/24, 10.0.0.3/24]
    - endpoints: [n1:eth3, n3:eth3]
      ipv4: [10.1.0.1/24, 10.1.0.2/24]
    - type: veth
      endpoints:
        - { node: n2, interface: eth4, ipv4: 10.1.0.1/24 }
        - { node: n3, interface: eth4, ipv6: 10.9.9.9/24 }
`),
    );
    expect(msg).toContain(
      't.clab.yml:7:14: topology.links[0].ipv4[0]: endpoint ipv4 var has invalid prefix "192.168.0.1"',
    );
    expect(msg).toContain('topology.links[0].ipv4[1]: endpoint ipv4 var has non-IPv4 prefix "2001:db8::1/64"');
    expect(msg).toContain("topology.links[1].ipv4: number of defined ipv4 vars exceed number of endpoints");
    expect(msg).toContain("address 10.1.0.1 of n2:eth4 is also the address of n1:eth3");
    expect(msg).toContain('invalid ipv6 address "10.9.9.9/24" for n3:eth4');
  });
  test("ends in different subnets are a warning, not an error", () => {
    const lab = load(text("    - endpoints: [n1:eth1, n2:eth1]\n      ipv4: [10.0.0.1/24, 10.0.1.2/24]\n"));
    expect(lab.warnings.map(formatDiagnostic)).toEqual([
      "t.clab.yml:6:7: topology.links[0]: n1:eth1 (10.0.0.1/24) and n2:eth1 (10.0.1.2/24) are not in one subnet (Check the link's addresses)",
    ]);
  });
});

describe("keys Containerlab honours", () => {
  const lab = load(`name: k
topology:
  defaults:
    image: "i:1"
    credentials: { username: d, password: dp }
    stages:
      create:
        exec: [{ command: "echo defaults", phase: on-enter }]
  kinds:
    srl: { credentials: { username: k, password: kp } }
  groups:
    g: { config: { vars: { a: 1, deep: { x: 1, y: 2 } } } }
  nodes:
    n1:
      group: g
      cgroup-parent: labtest.slice
      cgroupns-mode: private
      suppress-startup-config: true
      volumes: [data:/data]
      config: { vars: { b: two, deep: { y: 3 } } }
      credentials: { password: own }
      stages:
        create-links:
          exec:
            - { command: "touch /tmp/__clabNodeName__", target: host, phase: on-exit }
        configure:
          exec: { on-enter: ["ip link"] }
    s1: { kind: srl }
    s2: { kind: srl, credentials: { identity-file: ./id } }
`);
  const node = (n: string) => lab.nodes.find((x) => x.name === n);
  test("stage hooks from every level, defaults first, magic variables replaced", () => {
    expect(node("n1")?.stageExec).toEqual([
      { stage: "create", phase: "on-enter", target: "container", command: "echo defaults" },
      { stage: "create-links", phase: "on-exit", target: "host", command: "touch /tmp/n1" },
      { stage: "configure", phase: "on-enter", target: "container", command: "ip link" },
    ]);
  });
  test("cgroup settings and volumes reach the container", () => {
    const spec = planDeploy(lab).containers.find((c) => c.node === "n1")?.spec;
    expect(spec?.HostConfig).toMatchObject({
      CgroupParent: "labtest.slice",
      CgroupnsMode: "private",
      Binds: ["data:/data"],
    });
  });
  test("config.vars merge deeply from defaults to node; credentials come from the most specific level", () => {
    expect(node("n1")?.configVars).toEqual({ a: 1n, b: "two", deep: { x: 1n, y: 3n } });
    expect(node("n1")?.suppressStartupConfig).toBe(true);
    expect(node("n1")?.credentials).toMatchObject({ username: undefined, password: "own", source: "node" });
    expect(node("s1")?.credentials).toMatchObject({ username: "k", password: "kp", source: "kind" });
    expect(node("s2")?.credentials).toMatchObject({ username: "k", identityFile: `${dir}/id`, source: "kind" });
  });
  test("keys lab does not act on are warnings at their line", () => {
    const w = load(`name: w
debug: true
topology:
  defaults: { image: "i:1", certificate: { issue: true } }
  nodes:
    a: { link-apply-mode: restart, runtime: podman }
`).warnings.map(formatDiagnostic);
    expect(w).toContain("t.clab.yml:2:1: debug: debug: in the topology has no effect in lab; pass --verbose instead");
    expect(w.some((x) => x.includes("certificate"))).toBe(false);
    expect(w.some((x) => x.startsWith("t.clab.yml:6:10: topology.nodes.a.link-apply-mode:"))).toBe(true);
    expect(w.some((x) => x.startsWith("t.clab.yml:6:36: topology.nodes.a.runtime:"))).toBe(true);
  });
  test("certificate: merged field by field (defaults, kind, group, node), as Containerlab's Merge", () => {
    const lab = load(`name: c
settings:
  certificate-authority: { key-size: 4096, validity-duration: 87600h }
topology:
  defaults: { image: "i:1", certificate: { issue: true, key-size: 3072 } }
  kinds: { linux: { certificate: { validity-duration: 720h, sans: [k.example] } } }
  nodes:
    a: { certificate: { sans: [a.example, 10.0.0.9] } }
    b: { certificate: { issue: false } }
`);
    const [a, b] = lab.nodes;
    expect(a?.certificate).toEqual({
      issue: true,
      keySize: 3072,
      validityMs: 720 * 3600e3,
      sans: ["a.example", "10.0.0.9"],
    });
    expect(b?.certificate).toBeUndefined();
    expect(lab.certificateAuthority).toEqual({ keySize: 4096, validityMs: 87600 * 3600e3 });
  });
  test("enforce and suppress together, or enforce without a config, are errors", () => {
    expect(fail('name: e\ntopology:\n  nodes:\n    a: { image: "i:1", enforce-startup-config: true }\n')).toContain(
      "enforce-startup-config is set but the node has no startup-config",
    );
  });
});

describe("templates: clab_templates/, vars files, --export-rendered, startup-config data", () => {
  const root = mkdtempSync(join(tmpdir(), "lab-tpl-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, "clab_templates"));
  writeFileSync(
    join(root, "clab_templates", "nodes.gotmpl"),
    '{{ define "node" }}\n    {{ .name }}: { kind: linux, startup-config: cfg.tpl }{{ end }}\n',
  );
  writeFileSync(
    join(root, "cfg.tpl"),
    "hostname {{ .ShortName }} {{ .Config.Vars.site }}\n{{ range .Endpoints }}{{ .Name }}={{ .IPv4 }} {{ end }}\n",
  );
  writeFileSync(
    join(root, "fab.clab.gotmpl"),
    `name: {{ .name }}
topology:
  defaults: { image: "i:1", config: { vars: { site: {{ .site }} } } }
  nodes:
{{- range $i := seq .count }}
{{- $n := index $.names (subtract $i 1) }}{{ template "node" (index $.nodes $n) }}
{{- end }}
`,
  );
  writeFileSync(
    join(root, "fab.clab_vars.yaml"),
    "name: fab\nsite: a\ncount: 2\nnames: [x, z]\nnodes: { x: { name: x }, z: { name: z } }\n",
  );
  writeFileSync(join(root, "fab.clab_vars.zz.yml"), "site: b\nnodes: { z: { name: zz } }\n");
  writeFileSync(join(root, "other.yaml"), "count: 1\n");

  test("sub-templates and every <topology>_vars.* file, merged in name order", async () => {
    const lab = await loadLab({ file: join(root, "fab.clab.gotmpl"), cwd: root, env: {}, readStdin: async () => "" });
    expect(lab.nodes.map((n) => n.name)).toEqual(["x", "zz"]);
    expect(lab.notes).toContain("node x: kind linux reads no startup-config; it is not used");
  });
  test("--vars files replace the found ones, merged deeply in order; --export-rendered writes the text", async () => {
    const out = join(root, "rendered.yml");
    const lab = await loadLab({
      file: join(root, "fab.clab.gotmpl"),
      varsFiles: [join(root, "fab.clab_vars.yaml"), join(root, "other.yaml")],
      exportRendered: out,
      cwd: root,
      env: {},
      readStdin: async () => "",
    });
    expect(lab.nodes.map((n) => n.name)).toEqual(["x"]);
    expect(readFileSync(out, "utf8")).toContain("    x: { kind: linux, startup-config: cfg.tpl }");
  });
  test("a template error in a sub-template names that file and line", async () => {
    writeFileSync(join(root, "bad.clab.gotmpl"), 'name: b\ntopology:\n  nodes:\n{{ template "broken" }}\n');
    writeFileSync(join(root, "clab_templates", "zz.gotmpl"), '{{ define "broken" }}\n\n{{ nope 1 }}{{ end }}\n');
    await expect(
      loadLab({ file: join(root, "bad.clab.gotmpl"), cwd: root, env: {}, readStdin: async () => "" }),
    ).rejects.toThrow('clab_templates/zz.gotmpl:3: template: function "nope" not defined');
  });
  test("startup-config templates see NodeConfig, config.vars and the node's link addresses", () => {
    const lab = load(`name: sc
topology:
  defaults: { image: "i:1" }
  nodes:
    c: { kind: ceos, startup-config: ${root}/cfg.tpl, config: { vars: { site: hq } } }
    d: {}
  links:
    - endpoints: [c:eth1, d:eth1]
      ipv4: [10.0.0.1/30, 10.0.0.2/30]
`);
    expect(lab.nodes[0]?.startupConfig?.text).toBe("hostname c hq\neth1=10.0.0.1/30 \n");
  });
});

describe("remote sources", () => {
  test("an unsupported scheme is one clear line", async () => {
    const file = join(dir, "s3.clab.yml");
    writeFileSync(
      file,
      'name: s3\ntopology:\n  nodes:\n    a: { image: "i:1", kind: ceos, startup-config: "s3://bucket/key" }\n',
    );
    await expect(
      loadLab({ file, cwd: dir, env: {}, readStdin: async () => "", fetch: { fetch, env: {} } }),
    ).rejects.toThrow("cannot fetch s3://bucket/key: the s3:// scheme is not supported");
  });
});

describe("YAML mistakes", () => {
  test("a key written twice in one mapping is refused with its line", () => {
    expect(fail('name: d\ntopology:\n  nodes:\n    a: { image: "i:1" }\n    a: { image: "i:2" }\n')).toContain(
      't.clab.yml:5:5: invalid YAML: Map keys must be unique ("a" is there twice)',
    );
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));
