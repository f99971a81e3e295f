// Per-kind setup against Containerlab's node code, table-driven: for each kind, the create-spec
// fields, node-dir files, post-deploy and save its nodes/<kind>/ code gives the same node.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import type { ContainerCreateSpec } from "../../runtime/docker/types.ts";
import { iolBootConfig, iolMgmtUpdate } from "./cisco-iol.ts";
import { viosBootConfig } from "./cisco-vios.ts";
import { findKind } from "./index.ts";
import { crpdPostDeploy } from "./juniper-crpd.ts";
import { withoutMgmtAddress } from "./mikrotik-ros.ts";
import { srosPartialSession, srosSshKeyLines } from "./nokia-sros.ts";
import { vsrInitConfig } from "./sixwind-vsr.ts";
import { sonicVmKeyCommands } from "./sonic-vm.ts";
import { stcCgroupFiles } from "./spirent-stc.ts";
import { planned } from "./test-lab.ts";
import { vyosPostDeployLines, vyosSession } from "./vyosnetworks-vyos.ts";

const dir = "/tmp/lab-kinds-setup-test";
mkdirSync(dir, { recursive: true });
writeFileSync(`${dir}/junos.lic`, "JUNOS-LICENSE\n");

const text = `name: k
topology:
  nodes:
    crpd1: { kind: juniper_crpd, image: "crpd:24.2R1", license: junos.lic }
    crpd2: { kind: crpd, image: "crpd:24.2R1" }
    sonic1: { kind: sonic-vs, image: "docker-sonic-vs:2023", entrypoint: /usr/bin/other }
    cvx1: { kind: cumulus_cvx, image: "networkop/cx:4.3.0" }
    cvx2: { kind: cvx, image: "networkop/cx:5.0.1" }
    cvx3: { kind: cvx, image: "networkop/cx:4.3.0", memory: 1GB }
    csr: { kind: cisco_csr1000v, image: "vrnetlab/csr:17" }
    vmx: { kind: juniper_vmx, image: "vrnetlab/vmx:23" }
  links:
    - endpoints: [cvx1:swp1, cvx2:swp1]
`;
const { spec, node } = planned(dir, text);
const nd = (n: string) => `${dir}/clab-k/${n}`;

describe("juniper_crpd as nodes/crpd", () => {
  test("config and log dirs, sshd_config bound over the image's; a certificate only when asked", () => {
    expect(spec("crpd1")?.HostConfig?.Binds).toEqual([
      `${nd("crpd1")}/config:/config`,
      `${nd("crpd1")}/log:/var/log`,
      `${nd("crpd1")}/config/sshd_config:/etc/ssh/sshd_config`,
    ]);
    const sshd = node("crpd1")?.files.find((f) => f.path === `${nd("crpd1")}/config/sshd_config`)?.text ?? "";
    for (const l of [
      "Port 22",
      "Port 830",
      "PermitRootLogin yes",
      "PasswordAuthentication yes",
      "Subsystem netconf /usr/bin/netconf",
    ])
      expect(sshd.split("\n")).toContain(l);
    // Issued only when the topology asks, as LoadOrGenerateCertificate.
    expect(node("crpd1")?.certificate).toBeUndefined();
  });

  test("juniper.conf: root over SSH and NETCONF; the licence copied into the config dir", () => {
    const cfg = node("crpd1")?.startupConfig;
    expect(cfg?.target).toBe(`${nd("crpd1")}/config/juniper.conf`);
    expect(cfg?.text).toContain("root-authentication");
    expect(cfg?.text).toMatch(/encrypted-password "\$6\$/);
    expect(cfg?.text).toContain("root-login allow;");
    expect(cfg?.text).toContain("netconf {");
    expect(node("crpd1")?.files).toContainEqual({
      path: `${nd("crpd1")}/config/license/license.lic`,
      source: `${dir}/junos.lic`,
    });
    expect(node("crpd2")?.files.some((f) => f.path.endsWith("license.lic"))).toBe(false);
  });

  test("post-deploy restarts sshd (ignoring 'unrecognized service') and adds the licence; save writes juniper.conf", () => {
    const [sh, c, script] = crpdPostDeploy(true);
    expect([sh, c]).toEqual(["sh", "-c"]);
    expect(script).toContain("service ssh restart");
    expect(script).toContain("ssh: unrecognized service");
    expect(script).toContain('cli -c "request system license add /config/license/license.lic"');
    expect(crpdPostDeploy(false)[2]).not.toContain("license");
    const k = findKind("crpd");
    expect(k?.saveCommand).toEqual(["cli", "show", "conf"]);
    expect(k?.saveOutput).toBe("config/juniper.conf");
    expect(k?.credentials).toEqual({ username: "root", password: "clab123" });
  });
});

describe("sonic-vs as nodes/sonic", () => {
  test("bash as the entrypoint, over the node's; supervisord and bgpd started without waiting", () => {
    expect(spec("sonic1")?.Entrypoint).toEqual(["/bin/bash"]);
    expect(node("sonic1")?.certificate).toBeUndefined();
    expect(findKind("sonic-vs")?.postDeploy?.detached).toEqual([["supervisord"], ["supervisorctl", "start", "bgpd"]]);
  });
});

describe("cumulus_cvx as nodes/cvx", () => {
  test("memory by release: 4.3.0 512MB, others 768MB, the node's own wins; swpX names", () => {
    // "512MB"/"768MB" through humanize.ParseBytes (runtime/docker/docker.go): decimal megabytes.
    expect(spec("cvx1")?.HostConfig?.Memory).toBe(512e6);
    expect(spec("cvx2")?.HostConfig?.Memory).toBe(768e6);
    expect(spec("cvx3")?.HostConfig?.Memory).toBe(1e9);
    const rule = findKind("cvx")?.interfaces;
    expect(rule?.map("swp1")).toBe("swp1");
    expect(rule?.map("eth1")).toMatchObject({ error: expect.stringContaining("swpX") });
  });
});

describe("vrnetlab save as vr_node's GetConfig", () => {
  test.each([
    ["cisco_csr1000v", "show running-config"],
    ["cisco_n9kv", "show running-config"],
    ["cisco_xrv9k", "show running-config"],
    ["arista_veos", "show running-config"],
    ["juniper_vmx", "show configuration"],
    ["juniper_vsrx", "show configuration"],
  ])("%s reads its running config with %s, into its startup config", (kind, command) => {
    const k = findKind(kind);
    expect(k?.saveCli).toBe(command);
    expect(k?.startupConfig).toBe("config/startup-config.cfg");
  });
});

describe("vyosnetworks_vyos as nodes/vyosnetworks_vyos", () => {
  const v = planned(
    `${dir}/vyos`,
    `name: v
topology:
  nodes:
    vy1: { kind: vyosnetworks_vyos, image: "vyos/vyos:1.5" }
    vy2: { kind: vyosnetworks_vyos, image: "vyos/vyos:1.5" }
  links:
    - endpoints: [vy1:eth1, vy2:eth1]
      ipv4: [10.0.0.1/31, 10.0.0.0/31]
`,
  );
  const d = `${dir}/vyos/clab-v/vy1`;

  test("config dir over /opt/vyatta/etc/config, kernel modules, the vyattacfg group, boot-up scripts", () => {
    expect(v.spec("vy1")?.HostConfig?.Binds).toEqual([
      `${d}/config:/opt/vyatta/etc/config`,
      "/lib/modules:/lib/modules:ro",
    ]);
    expect(v.node("vy1")?.kind.nodeDirGroup).toBe(102);
    expect(v.node("vy1")?.files).toEqual([
      { path: `${d}/config/scripts/vyos-preconfig-bootup.script`, text: "#!/bin/sh", mode: 0o755 },
      { path: `${d}/config/scripts/vyos-postconfig-bootup.script`, text: "#!/bin/sh", mode: 0o755 },
    ]);
    expect(v.node("vy1")?.certificate?.issue).toBe(true);
  });

  test("config.boot: HTTPS API with the node's certificate as bare base64, admin login, host name", () => {
    const cfg = v.node("vy1")?.startupConfig;
    expect(cfg?.target).toBe(`${d}/config/config.boot`);
    // Rendered again at deploy with the certificate; the template strips the PEM armour.
    expect(cfg?.template).toBeDefined();
    const text = cfg?.text ?? "";
    expect(text).toContain('host-name "vy1"');
    expect(text).toContain('plaintext-password "admin"');
    expect(text).toContain('ca-certificate "clab"');
    expect(text).toContain("// vyos-config-version:");
    expect(text).not.toContain("{{");
  });

  test("post-deploy: addresses and SSH keys as admin, committed and saved; save commits and saves", () => {
    const lines = vyosPostDeployLines({
      name: "vy1",
      mgmtIntf: "eth0",
      mgmtIpv4: "172.20.20.2/24",
      links: [{ iface: "eth1", ipv4: "10.0.0.1/31" }],
      sshKeys: [{ type: "ssh-ed25519", key: "AAAAC3" }],
      username: "admin",
    });
    expect(lines).toEqual([
      "set interfaces ethernet eth0 address 172.20.20.2/24",
      "set interfaces ethernet eth1 address 10.0.0.1/31",
      "set system login user admin authentication public-keys clab type ssh-ed25519",
      "set system login user admin authentication public-keys clab key AAAAC3",
    ]);
    const [su, dash, user, c, script] = vyosSession(lines);
    expect([su, dash, user, c]).toEqual(["su", "-", "admin", "-c"]);
    expect(script?.split("\n").slice(-3)).toEqual(["commit", "save", "exit"]);
    expect(script).toContain("wait_for_commit_lock()");
    expect(findKind("vyosnetworks_vyos")?.saveCommand?.[4]).toContain("commit\nsave");
  });
});

describe("cisco_iol as nodes/iol", () => {
  mkdirSync(`${dir}/iol`, { recursive: true });
  writeFileSync(`${dir}/iol/r2.partial.cfg`, "router ospf 1\n");
  const i = planned(
    `${dir}/iol`,
    `name: i
topology:
  nodes:
    r1: { kind: cisco_iol, image: "vrnetlab/cisco_iol:17.12" }
    r2: { kind: cisco_iol, image: "vrnetlab/cisco_iol:17.12", type: l2, startup-config: r2.partial.cfg }
  links:
    - endpoints: [r1:Ethernet0/1, r2:e1/2]
      ipv4: [10.1.0.1/30, 10.1.0.2/30]
`,
  );
  const d = `${dir}/iol/clab-i/r2`;

  test("IOL_PID from the position, nvram named by it, NETMAP and iouyap.ini from the links", () => {
    expect(i.env("r1").IOL_PID).toBe("1");
    expect(i.env("r2").IOL_PID).toBe("2");
    expect(i.spec("r2")?.HostConfig?.Binds).toEqual([
      `${d}/nvram_00002:/iol/nvram_00002`,
      `${d}/boot_config.txt:/iol/config.txt`,
      `${d}/iouyap.ini:/iol/iouyap.ini`,
      `${d}/NETMAP:/iol/NETMAP`,
    ]);
    const file = (name: string) => i.node("r2")?.files.find((f) => f.path === `${d}/${name}`);
    expect(file("nvram_00002")).toMatchObject({ text: "", keep: true });
    // e1/2 is eth6: slot 1, port 2.
    expect(file("NETMAP")?.text).toBe("2:0/0 513:0/0\n2:1/2 513:1/2\n");
    expect(file("iouyap.ini")?.text).toBe(
      "[default]\nbase_port = 49000\nnetmap = /iol/NETMAP\n[513:0/0]\neth_dev = eth0\n[513:1/2]\neth_dev = eth6\n",
    );
    expect(i.node("r2")?.startupRaw).toEqual({ text: "router ospf 1\n", file: `${dir}/iol/r2.partial.cfg` });
  });

  test("boot config from the engine's addresses, a .partial config inside it; types iol and l2 only", () => {
    const node = {
      name: "r2",
      type: "l2",
      mgmtIntf: "eth0",
      mgmtIpv4: "172.20.20.3/24",
      mgmtIpv6: "3fff:172:20:20::3/64",
      gateways: { ipv4: "172.20.20.1", ipv6: "3fff:172:20:20::1" },
      links: [],
      interfaces: [{ iface: "eth6", mtu: 0, ipv4: "10.1.0.2/30" }],
      rawConfig: { text: "router ospf 1\n", file: "r2.partial.cfg" },
    };
    const cfg = iolBootConfig(node).split("\n");
    for (const l of [
      "hostname r2",
      " no switchport",
      " ip address 172.20.20.3 255.255.255.0",
      " ipv6 address 3fff:172:20:20::3/64",
      "interface Ethernet1/2",
      " ip address 10.1.0.2 255.255.255.252",
      "ip route vrf clab-mgmt 0.0.0.0 0.0.0.0 Ethernet0/0 172.20.20.1",
      "router ospf 1",
      "end",
    ])
      expect(cfg).toContain(l);
    const own = iolBootConfig({ ...node, rawConfig: { text: "hostname {{ .Hostname }}-own\n", file: "r2.cfg" } });
    expect(own).toBe("hostname r2-own\n");
    expect(() =>
      planned(`${dir}/iol-bad`, "name: b\ntopology:\n  nodes:\n    r: { kind: cisco_iol, image: x:1, type: l3 }\n"),
    ).toThrow('kind cisco_iol has no type "l3"');
    expect(findKind("cisco_iol")?.saveSsh).toBe("write memory");
    // Booting from its nvram (not the first boot), the management address goes in over the console.
    expect(iolMgmtUpdate(node)).toBe(
      "\renable\rconfig terminal\rinterface Ethernet0/0\rip address 172.20.20.3 255.255.255.0\rno ipv6 address\ripv6 address 3fff:172:20:20::3/64\rexit\rip route vrf clab-mgmt 0.0.0.0 0.0.0.0 Ethernet0/0 172.20.20.1\ripv6 route vrf clab-mgmt ::/0 Ethernet0/0 3fff:172:20:20::1\rend\rwr\r",
    );
  });

  test("a node whose nvram is already in its node dir does not boot for the first time", () => {
    expect(i.node("r1")?.firstBoot).toBe(true);
    mkdirSync(`${dir}/iol/clab-i/r1`, { recursive: true });
    writeFileSync(`${dir}/iol/clab-i/r1/nvram_00001`, "saved");
    const again = planned(
      `${dir}/iol`,
      "name: i\ntopology:\n  nodes:\n    r1: { kind: cisco_iol, image: x:1 }\n    r2: { kind: cisco_iol, image: x:1 }\n",
    );
    expect(again.node("r1")?.firstBoot).toBe(false);
    expect(again.node("r2")?.firstBoot).toBe(true);
  });
});

describe("nokia_sros (vrnetlab) as nodes/vr_sros", () => {
  mkdirSync(`${dir}/sros`, { recursive: true });
  writeFileSync(
    `${dir}/sros/pe1.partial.cfg`,
    "/configure router interface lo0 ipv4 primary address 10.0.0.1 prefix-length 32\n",
  );
  writeFileSync(`${dir}/sros/pe2.cfg`, "configure system name pe2\n");
  const r = planned(
    `${dir}/sros`,
    `name: r
topology:
  nodes:
    pe1: { kind: nokia_sros, image: "vrnetlab/nokia_sros:24.7.R1", startup-config: pe1.partial.cfg }
    pe2: { kind: nokia_sros, image: "vrnetlab/nokia_sros:24.7.R1", startup-config: pe2.cfg, type: sr-1s }
`,
  );

  test("a .partial config goes to the post-deploy; a full one boots from tftpboot; save over NETCONF", () => {
    expect(r.node("pe1")?.startupConfig).toBeUndefined();
    expect(r.node("pe1")?.startupCli).toContain("lo0");
    expect(r.node("pe2")?.startupConfig?.target).toBe(`${dir}/sros/clab-r/pe2/tftpboot/config.txt`);
    expect(r.spec("pe2")?.Cmd).toEqual([
      "--trace",
      "--connection-mode",
      "tc",
      "--hostname",
      "pe2",
      "--variant",
      "sr-1s",
    ]);
    expect(r.spec("pe1")?.Cmd?.at(-1)).toBe("sr-1");
    expect(findKind("nokia_sros")?.saveNetconf).toBe(true);
  });

  test("SSH keys as MD-CLI lines; the session commits, saves and leaves config mode", () => {
    expect(
      srosSshKeyLines([
        { type: "ssh-rsa", key: "AAAAB3" },
        { type: "ecdsa-sha2-nistp256", key: "AAAAE2" },
        { type: "ssh-ed25519", key: "AAAAC3" },
      ]),
    ).toEqual([
      "/configure system security user-params attempts count 64",
      '/configure system security user-params local-user user "admin" public-keys rsa rsa-key 32 key-value AAAAB3',
      '/configure system security user-params local-user user "admin" public-keys ecdsa ecdsa-key 32 key-value AAAAE2',
    ]);
    expect(srosPartialSession("a\r\n\tb")).toEqual([
      "edit-config private",
      "a",
      "    b",
      "commit",
      "/admin save",
      "/exit all",
      "quit-config",
    ]);
  });
});

describe("vrnetlab launchers as Containerlab's VRNode", () => {
  const v = planned(
    `${dir}/vr`,
    `name: v
topology:
  nodes:
    c1: { kind: cisco_c8000v, image: "vrnetlab/c8000v:17", credentials: { username: ops, password: s3cret } }
    c2: { kind: cisco_c8000v, image: "vrnetlab/c8000v:17", type: controller, env: { CONNECTION_MODE: macvtap } }
    cx: { kind: nvidia_cumulusvx, image: "vrnetlab/cx:5" }
    pe: { kind: nokia_sros, image: "vrnetlab/sros:24", env: { CONNECTION_MODE: ovs } }
`,
  );

  test("the node's login and connection mode reach the launcher; macvtap brings /dev", () => {
    expect(v.env("c1")).toMatchObject({
      USERNAME: "ops",
      PASSWORD: "s3cret",
      CONNECTION_MODE: "tc",
      MODE: "autonomous",
    });
    expect(v.spec("c1")?.Cmd).toEqual([
      "--username",
      "ops",
      "--password",
      "s3cret",
      "--hostname",
      "c1",
      "--connection-mode",
      "tc",
      "--trace",
    ]);
    expect(v.env("c2").MODE).toBe("controller");
    expect(v.spec("c2")?.Cmd).toContain("macvtap");
    expect(v.spec("c2")?.HostConfig?.Binds).toContain("/dev:/dev");
    expect(v.env("cx")).toMatchObject({ USERNAME: "cumulus", PASSWORD: "Clab123!" });
    expect(v.env("pe").USERNAME).toBeUndefined();
    expect(v.spec("pe")?.Cmd).toEqual(["--trace", "--connection-mode", "ovs", "--hostname", "pe", "--variant", "sr-1"]);
    expect(() =>
      planned(
        `${dir}/vr-bad`,
        "name: b\ntopology:\n  nodes:\n    c: { kind: cisco_c8000v, image: x:1, type: sdwan }\n",
      ),
    ).toThrow('kind cisco_c8000v has no type "sdwan"');
  });
});

describe("nokia_srsim (standalone) as nodes/sros", () => {
  mkdirSync(`${dir}/srsim`, { recursive: true });
  writeFileSync(`${dir}/srsim/license.txt`, "SROS-LICENSE\n");
  const s = planned(
    `${dir}/srsim`,
    `name: m
topology:
  kinds:
    nokia_srsim: { license: license.txt }
  nodes:
    pe1: { kind: nokia_srsim, image: "nokia/srsim:25.10.R1" }
    pe2: { kind: nokia_srsim, image: "nokia/srsim:25.10.R1", type: SR-7s }
`,
  );
  const d = `${dir}/srsim/clab-m/pe1`;

  test("NOKIA_SROS_* variables, the base MAC on mgmt, flashes of slot A, the licence, root and sysctls", () => {
    const mac = s.spec("pe1")?.MacAddress as string;
    expect(mac).toMatch(/^1c:[0-9a-f]{2}:00:00:00:00$/);
    expect(s.env("pe1")).toMatchObject({
      SRSIM: "1",
      NOKIA_SROS_CHASSIS: "SR-1",
      NOKIA_SROS_SLOT: "A",
      NOKIA_SROS_SYSTEM_BASE_MAC: mac,
      CLAB_SROS_CONFIG_MODE: "model-driven",
    });
    expect(s.env("pe2").NOKIA_SROS_CHASSIS).toBe("SR-7s");
    expect(s.spec("pe1")?.HostConfig?.Binds).toEqual([
      `${d}/license.key:/nokia/license/license.txt:ro`,
      `${d}/A/config/cf1:/home/sros/flash1/:rw`,
      `${d}/A/config/cf2:/home/sros/flash2/:rw`,
      `${d}/A/config/cf3:/home/sros/flash3/:rw`,
    ]);
    // The licence is copied into the node dir and bound from there, as createSROSFiles does.
    expect(s.node("pe1")?.files.find((f) => f.path === `${d}/license.key`)?.source).toBe(`${dir}/srsim/license.txt`);
    expect(s.spec("pe1")?.User).toBe("0:0");
    expect(s.spec("pe1")?.HostConfig?.Sysctls?.["net.ipv4.conf.all.rp_filter"]).toBe("0");
    expect(findKind("nokia_srsim")?.saveNetconf).toBe(true);
  });

  test("the default config: name, banner, gRPC, NETCONF, SNMP, the admin user; a .partial one added to it", () => {
    const cfg = (s.node("pe1")?.startupConfig?.text ?? "").split("\n");
    expect(s.node("pe1")?.startupConfig?.target).toBe(`${d}/A/config/cf3/config.cfg`);
    for (const l of [
      "/configure system name pe1",
      "/configure system grpc allow-unsecure-connection",
      "/configure system management-interface netconf listen admin-state enable",
      '/configure system security snmp community "public" version v2c',
      '/configure system security user-params local-user user "admin" access netconf true',
      '/configure system security aaa local-profiles profile "administrative" netconf base-op-authorization copy-config true',
    ])
      expect(cfg).toContain(l);
    writeFileSync(
      `${dir}/srsim/pe3.partial.cfg`,
      "/configure router interface lo0 ipv4 primary address 10.0.0.3 prefix-length 32\n",
    );
    writeFileSync(`${dir}/srsim/pe4.cfg`, "/configure system name own-pe4\n");
    const p = planned(
      `${dir}/srsim`,
      "name: m2\ntopology:\n  kinds:\n    nokia_srsim: { license: license.txt }\n  nodes:\n    pe3: { kind: nokia_srsim, image: x:1, startup-config: pe3.partial.cfg }\n    pe4: { kind: nokia_srsim, image: x:1, startup-config: pe4.cfg }\n",
    );
    const pe3 = p.node("pe3")?.startupConfig?.text ?? "";
    expect(pe3).toContain("/configure system name pe3");
    expect(pe3.trimEnd().endsWith("prefix-length 32")).toBe(true);
    expect(p.node("pe4")?.startupConfig?.text).toBe("/configure system name own-pe4\n");
  });

  test("without a licence: one clear error", () => {
    expect(() =>
      planned(`${dir}/srsim-bad`, "name: b\ntopology:\n  nodes:\n    pe: { kind: nokia_srsim, image: x:1 }\n"),
    ).toThrow("kind nokia_srsim does not boot without a licence");
  });
});

describe("nokia_sros (vrnetlab) with components as nodes/vr_sros", () => {
  test("the variant is the components' TiMOS lines; ports map past the line cards before them", () => {
    const v = planned(
      `${dir}/vsros`,
      `name: v
topology:
  nodes:
    pe:
      kind: nokia_sros
      image: vrnetlab/nokia_sros:25
      type: sr-7
      components:
        - { slot: A, type: cpm5 }
        - { slot: 1, type: iom4-e, mda: [{ slot: 1, type: me6-10gb-sfp+ }] }
        - { slot: 2, type: iom4-e, mda: [{ slot: 1, type: me6-10gb-sfp+ }] }
    r: { kind: linux, image: x:1 }
  links:
    - endpoints: ["pe:2/1/1", "r:eth1"]
`,
    );
    expect(v.spec("pe")?.Cmd?.at(-1)).toBe(
      "cp: chassis=sr-7 slot=A card=cpm5 ___ lc: max_nics=6 chassis=sr-7 slot=1 card=iom4-e mda/1=me6-10gb-sfp+ ___ lc: max_nics=6 chassis=sr-7 slot=2 card=iom4-e mda/1=me6-10gb-sfp+",
    );
    expect(v.lab.links[0]).toMatchObject({ a: { node: "pe", iface: "eth7" } });
    expect(() =>
      planned(
        `${dir}/vsros`,
        "name: v2\ntopology:\n  nodes:\n    pe: { kind: nokia_sros, image: x:1, components: [{ slot: A }, { slot: B }] }\n",
      ),
    ).toThrow("only supports a single CPM card");
  });
});

describe("juniper_csrx and the vrnetlab backup-script saves", () => {
  const c = planned(`${dir}/csrx`, "name: c\ntopology:\n  nodes:\n    fw: { kind: juniper_csrx, image: csrx:24 }\n");
  const d = `${dir}/csrx/clab-c/fw`;
  test("cSRX: cRPD's layout plus CSRX_JUNOS_CONFIG and the password sentinel", () => {
    expect(c.env("fw").CSRX_JUNOS_CONFIG).toBe("/config/juniper.conf");
    expect(c.spec("fw")?.HostConfig?.Binds).toContain(
      `${d}/csrx_password_config_file:/var/local/csrx_password_config_file`,
    );
    expect(c.node("fw")?.files.find((f) => f.path.endsWith("csrx_password_config_file"))?.text).toBe("");
    expect(c.node("fw")?.startupConfig?.text).toContain("root-login allow;");
    expect(findKind("juniper_csrx")?.saveOutput).toBe("config/juniper.conf");
  });
  test.each(["dell_sonic", "freebsd", "openbsd", "plvision_sonic", "sonic-vm"])(
    "%s saves with vrnetlab's backup script",
    (k) => {
      expect(findKind(k)?.saveCommand).toEqual(["sh", "-c", "/backup.sh -u $USERNAME -p $PASSWORD backup"]);
      expect(findKind(k)?.saveCli).toBeUndefined();
    },
  );
});

describe("vrnetlab kinds with their own sizes and paths", () => {
  const q = planned(
    `${dir}/qemu`,
    `name: q
topology:
  nodes:
    cat: { kind: cisco_cat9kv, image: "vrnetlab/cat9kv:17" }
    pan: { kind: paloalto_panos, image: "vrnetlab/pan:11", env: { QEMU_MEMORY: "8192" } }
    xr: { kind: cisco_xrv9k, image: "vrnetlab/xrv9k:7" }
    ros: { kind: mikrotik_ros, image: "vrnetlab/ros:7" }
`,
  );
  test("QEMU sizes by kind, the node's env wins; RouterOS boots from ftpboot", () => {
    expect(q.env("cat")).toMatchObject({ QEMU_SMP: "4", QEMU_MEMORY: "18432", CONNECTION_MODE: "tc" });
    expect(q.env("pan")).toMatchObject({ QEMU_SMP: "2", QEMU_MEMORY: "8192", QEMU_CPU: "qemu64" });
    expect(q.env("xr")).toMatchObject({ QEMU_SMP: "2", QEMU_MEMORY: "16384" });
    expect(q.spec("ros")?.HostConfig?.Binds).toEqual([`${dir}/qemu/clab-q/ros/ftpboot:/ftpboot`]);
    expect(findKind("mikrotik_ros")?.startupConfig).toBe("ftpboot/config.auto.rsc");
  });
  test("a RouterOS save leaves the management address out", () => {
    const exported = [
      "/interface bridge",
      "add name=lo",
      "/ip address",
      "add address=172.20.20.2/24 interface=ether1 network=172.20.20.0",
      "add address=10.0.0.1/30 interface=ether2 network=10.0.0.0",
      "/system identity",
      "set name=ros",
    ].join("\n");
    expect(withoutMgmtAddress(`${exported}\n`)).toBe(
      exported.replace("add address=172.20.20.2/24 interface=ether1 network=172.20.20.0\n", ""),
    );
    expect(findKind("mikrotik_ros")?.saveCli).toBe("export");
  });
});

describe("smaller kinds as their Containerlab Init", () => {
  const k = planned(
    `${dir}/small`,
    `name: s
topology:
  nodes:
    vios: { kind: cisco_vios, image: "vrnetlab/vios:15" }
    fgt: { kind: fortinet_fortigate, image: "vrnetlab/fgt:7" }
    stc: { kind: spirent_stc, image: "spirent/stc:5" }
    rare1: { kind: rare, image: "rare:1" }
    bng: { kind: veesix_osvbng, image: "veesix/osvbng:1", cap-add: [NET_RAW] }
    arc: { kind: arrcus_arcos, image: "arrcus/arcos:5" }
`,
  );
  const d = (n: string) => `${dir}/small/clab-s/${n}`;
  test("env, binds, capabilities, healthchecks and default configs", () => {
    expect(k.env("vios").CLAB_MGMT_PASSTHROUGH).toBe("true");
    expect(k.env("fgt")).toMatchObject({ QEMU_SMP: "2", QEMU_MEMORY: "2048" });
    expect(k.env("stc")).toMatchObject({ SPIRENT_ADMIN: "--mode container" });
    expect(k.spec("stc")?.Healthcheck).toMatchObject({
      Test: ["CMD-SHELL", "pgrep -f capture_0"],
      Interval: 10e9,
      Retries: 3,
    });
    // STC's fake cgroup v1 tree (Containerlab's createCgroupV1Files), bound over /sys/fs/cgroup.
    expect(k.spec("stc")?.HostConfig?.Binds).toEqual([
      `${d("stc")}/cgroup-v1:/sys/fs/cgroup`,
      `${d("stc")}/cgroup-v1/memory.limit_in_bytes:/cgroup/memory/memory.limit_in_bytes`,
    ]);
    const stcFiles = Object.fromEntries(
      (k.node("stc")?.files ?? []).map((f) => [f.path.slice(d("stc").length + 1), f]),
    );
    expect(Object.keys(stcFiles).sort()).toEqual(
      [
        "cgroup-v1/cpu",
        "cgroup-v1/cpu,cpuacct/cpu.cfs_period_us",
        "cgroup-v1/cpu,cpuacct/cpu.cfs_quota_us",
        "cgroup-v1/cpu,cpuacct/cpu.rt_period_us",
        "cgroup-v1/cpu,cpuacct/cpu.rt_runtime_us",
        "cgroup-v1/cpu,cpuacct/cpu.shares",
        "cgroup-v1/cpu,cpuacct/cpuacct.usage",
        "cgroup-v1/cpuacct",
        "cgroup-v1/cpuset/cpuset.cpus",
        "cgroup-v1/cpuset/cpuset.mems",
        "cgroup-v1/devices/devices.list",
        "cgroup-v1/memory.limit_in_bytes",
        "cgroup-v1/memory/memory.limit_in_bytes",
        "cgroup-v1/memory/memory.usage_in_bytes",
      ].sort(),
    );
    expect(stcFiles["cgroup-v1/cpu"]?.link).toBe("cpu,cpuacct");
    expect(stcFiles["cgroup-v1/cpuacct"]?.link).toBe("cpu,cpuacct");
    expect(stcFiles["cgroup-v1/memory/memory.limit_in_bytes"]?.text).toBe("4294967296\n");
    expect(stcFiles["cgroup-v1/devices/devices.list"]?.text).toBe("a *:* rwm\n");
    expect(stcCgroupFiles(2).find((f) => f.path.endsWith("cpuset.cpus"))?.text).toBe("0-2\n");
    expect(k.spec("rare1")?.HostConfig?.Binds).toEqual([`${d("rare1")}/run:/rtr/run`]);
    expect(k.spec("bng")?.HostConfig?.CapAdd).toEqual([
      "NET_RAW",
      "SYS_ADMIN",
      "NET_ADMIN",
      "IPC_LOCK",
      "SYS_NICE",
      "SYS_RAWIO",
    ]);
    expect(k.env("bng").OSVBNG_WAIT_FOR_INTERFACES).toBe("true");
    expect(k.node("bng")?.startupConfig).toMatchObject({ target: `${d("bng")}/osvbng.yaml`, text: "" });
    expect(k.env("arc").STARTUP_CFG).toBe("/config/startup.cfg");
    expect(k.spec("arc")?.HostConfig?.Binds).toEqual([`${d("arc")}/startup.cfg:/config/startup.cfg:ro`]);
    expect(k.node("arc")?.startupConfig?.text).toContain("system hostname arc");
    expect(k.node("arc")?.startupConfig?.text).toContain("system netconf-server transport ssh port 830");
  });
});

describe("cisco_vios as nodes/cisco_vios", () => {
  test("router, switch or l2; the boot config in config/ from the engine's addresses and the node's login", () => {
    const v = planned(
      `${dir}/vios`,
      "name: v\ntopology:\n  nodes:\n    sw: { kind: cisco_vios, image: vrnetlab/cisco_vios:15, type: switch }\n",
    );
    expect(v.spec("sw")?.Cmd).toEqual([
      "--username",
      "admin",
      "--password",
      "admin",
      "--hostname",
      "sw",
      "--connection-mode",
      "tc",
      "--trace",
    ]);
    expect(v.spec("sw")?.HostConfig?.Binds).toEqual([`${dir}/vios/clab-v/sw/config:/config`]);
    const node = {
      name: "sw",
      type: "switch",
      mgmtIntf: "eth0",
      mgmtIpv4: "172.20.20.5/24",
      mgmtIpv6: "3fff:172:20:20::5/64",
      gateways: { ipv4: "172.20.20.1", ipv6: "3fff:172:20:20::1" },
      links: [],
      username: "admin",
      password: "admin",
      rawConfig: { text: "router ospf 1\n", file: "sw.partial.cfg" },
    };
    const cfg = viosBootConfig(node).split("\n");
    for (const l of [
      "hostname sw",
      "username admin privilege 15 password admin",
      " no switchport",
      " ip address 172.20.20.5 255.255.255.0",
      " ipv6 address 3fff:172:20:20::5/64",
      "ip route vrf clab-mgmt 0.0.0.0 0.0.0.0 172.20.20.1",
      "netconf ssh",
      "router ospf 1",
      "end",
    ])
      expect(cfg).toContain(l);
    expect(viosBootConfig({ ...node, rawConfig: { text: "hostname {{ .Hostname }}-{{ .Username }}\n" } })).toBe(
      "hostname sw-admin\n",
    );
    expect(() =>
      planned(`${dir}/vios-bad`, "name: b\ntopology:\n  nodes:\n    r: { kind: cisco_vios, image: x:1, type: l3 }\n"),
    ).toThrow('kind cisco_vios has no type "l3"');
  });
});

describe("the rest of the vrnetlab family as their Containerlab nodes", () => {
  mkdirSync(`${dir}/vrfam`, { recursive: true });
  writeFileSync(`${dir}/vrfam/man.yaml`, "#cloud-config\nhostname: {{ not-a-template }}\n");
  writeFileSync(`${dir}/vrfam/sw.partial.cfg`, "system shell set hostname {{ .ShortName }}\n");
  writeFileSync(`${dir}/vrfam/bsd.cfg`, "x\n");
  const f = planned(
    `${dir}/vrfam`,
    `name: f
topology:
  nodes:
    man: { kind: cisco_sdwan, image: vrnetlab/cisco_sdwan:20, startup-config: man.yaml }
    val: { kind: cisco_sdwan, image: vrnetlab/cisco_sdwan:20, type: validator }
    sw: { kind: ciena_saos, image: vrnetlab/ciena_saos:10, type: "5164", startup-config: sw.partial.cfg, credentials: { username: me, password: mine } }
    big: { kind: f5_bigip-ve, image: vrnetlab/f5_bigip-ve:17, credentials: { password: "S3cret!" } }
    bsd: { kind: freebsd, image: vrnetlab/freebsd:14, startup-config: bsd.cfg }
    svm: { kind: sonic-vm, image: vrnetlab/sonic_vm:202411, startup-config: bsd.cfg }
`,
  );
  const d = (n: string) => `${dir}/vrfam/clab-f/${n}`;

  test("SD-WAN: its component type to the launcher; a cloud-init or zCloud startup-config copied as it is", () => {
    expect(f.spec("man")?.Cmd?.slice(-3)).toEqual(["--component-type", "manager", "--trace"]);
    expect(f.spec("val")?.Cmd).toContain("validator");
    // Without an image, the component's own vrnetlab image (Containerlab's GetImages).
    const noImage = planned(
      `${dir}/vrfam`,
      "name: n\ntopology:\n  nodes:\n    c: { kind: cisco_sdwan, type: controller }\n",
    );
    expect(noImage.node("c")?.image).toBe("vrnetlab/cisco_sdwan-controller");
    expect(f.node("man")?.startupConfig).toMatchObject({
      target: `${d("man")}/config/cloud-init.yaml`,
      source: `${dir}/vrfam/man.yaml`,
    });
    expect(f.node("man")?.startupConfig?.text).toBeUndefined();
    writeFileSync(`${dir}/vrfam/bad.txt`, "x\n");
    expect(() =>
      planned(
        `${dir}/vrfam`,
        "name: b\ntopology:\n  nodes:\n    m: { kind: cisco_sdwan, image: x:1, startup-config: bad.txt }\n",
      ),
    ).toThrow("Supported formats: .yaml/.yml (cloud-init) or .xml (zcloud)");
  });

  test("SAOS: a chassis type is required; only .partial startup-configs, named to the launcher; SAOS's own login", () => {
    expect(f.env("sw")).toMatchObject({
      USERNAME: "diag",
      PASSWORD: "ciena123",
      SAOS_STARTUP_CONFIG_PATH: "/config/sw.partial.cfg",
    });
    expect(f.node("sw")?.startupConfig).toMatchObject({
      target: `${d("sw")}/config/sw.partial.cfg`,
      text: "system shell set hostname sw\n",
    });
    expect(() =>
      planned(`${dir}/vrfam`, "name: b\ntopology:\n  nodes:\n    s: { kind: ciena_saos, image: x:1 }\n"),
    ).toThrow('missing type for ciena_saos node "s"');
    expect(() =>
      planned(
        `${dir}/vrfam`,
        "name: b\ntopology:\n  nodes:\n    s: { kind: ciena_saos, image: x:1, type: '5164', startup-config: bsd.cfg }\n",
      ),
    ).toThrow("only supports partial startup-config files");
  });

  test("F5: host name and the new password for the launcher, its QEMU sizes, no subnets, no startup-config", () => {
    const env = f.env("big");
    expect(env).toMatchObject({
      F5_HOSTNAME: "big",
      F5_NEW_PASSWORD: "S3cret!",
      PASSWORD: "S3cret!",
      QEMU_MEMORY: "8192",
      QEMU_SMP: "4",
      QEMU_CPU: "host",
    });
    expect(env.DOCKER_NET_V4_ADDR).toBeUndefined();
    expect(f.spec("big")?.Cmd).toEqual([
      "--username",
      "admin",
      "--password",
      "S3cret!",
      "--hostname",
      "big",
      "--connection-mode",
      "tc",
      "--trace",
    ]);
  });

  test("a licence: vr_sros copies it into tftpboot; kinds that read none say so", () => {
    writeFileSync(`${dir}/vrfam/lic.txt`, "LIC\n");
    const l = planned(
      `${dir}/vrfam`,
      "name: l\ntopology:\n  defaults: { license: lic.txt }\n  nodes:\n    pe: { kind: nokia_sros, image: x:1 }\n    csr: { kind: cisco_csr1000v, image: x:1 }\n",
    );
    expect(l.node("pe")?.files.find((f) => f.path.endsWith("/pe/tftpboot/license.txt"))?.source).toBe(
      `${dir}/vrfam/lic.txt`,
    );
    expect(l.spec("csr")?.HostConfig?.Binds ?? []).not.toContainEqual(expect.stringContaining("lic.txt"));
    expect(l.lab.notes).toContain("node csr: kind cisco_csr1000v does not use a licence; license: is not used");
  });

  test("binds each Init makes or leaves out: macvtap /dev, the config dir; the login vMX and FortiGate format themselves", () => {
    const b = planned(
      `${dir}/vrfam`,
      `name: g
topology:
  defaults: { env: { CONNECTION_MODE: macvtap } }
  nodes:
    vmx: { kind: juniper_vmx, image: vrnetlab/vmx:23, env: { USERNAME: other } }
    csr: { kind: cisco_csr1000v, image: vrnetlab/csr:17 }
    ftd: { kind: cisco_ftdv, image: vrnetlab/ftdv:7 }
    ocn: { kind: ipinfusion_ocnos, image: vrnetlab/ocnos:6 }
    dell: { kind: dell_sonic, image: vrnetlab/dell_sonic:4 }
    plv: { kind: plvision_sonic, image: vrnetlab/plvision_sonic:1 }
`,
    );
    const binds = (n: string) => b.spec(n)?.HostConfig?.Binds ?? [];
    const g = `${dir}/vrfam/clab-g`;
    expect(binds("vmx")).toEqual([`${g}/vmx/config:/config`]);
    expect(binds("csr")).toEqual([`${g}/csr/config:/config`, "/dev:/dev"]);
    expect(binds("ftd")).toEqual(["/dev:/dev"]);
    expect(binds("ocn")).toEqual([]);
    expect(binds("dell")).toEqual([`${g}/dell/config:/config`]);
    expect(b.spec("vmx")?.Cmd?.slice(0, 2)).toEqual(["--username", "admin"]);
    expect(b.env("vmx").USERNAME).toBe("other");
    expect(findKind("plvision_sonic")?.vm).toBe(true);
    expect(b.node("dell")?.startupConfig).toBeUndefined();
  });

  test("FreeBSD places no startup-config; SONiC VM boots config_db.json, its MAC under Containerlab's OUI", () => {
    expect(f.node("bsd")?.startupConfig).toBeUndefined();
    expect(f.lab.notes).toContain("node bsd: kind freebsd reads no startup-config; it is not used");
    expect(f.node("svm")?.startupConfig?.target).toBe(`${d("svm")}/config/config_db.json`);
    expect(f.spec("svm")?.MacAddress).toMatch(/^aa:c1:ab:/);
    expect(sonicVmKeyCommands([{ type: "ssh-ed25519", key: "AAA'x" }])).toEqual([
      "mkdir -p ~/.ssh && chmod 700 ~/.ssh",
      "truncate -s 0 ~/.ssh/authorized_keys",
      "printf '%s\\n' 'ssh-ed25519 AAA'\\''x' >> ~/.ssh/authorized_keys",
      "chmod 600 ~/.ssh/authorized_keys",
    ]);
  });
});

describe("juniper_cjunosevolved as nodes/cjunosevolved", () => {
  test("a VM kind with its config dir bound, but no vrnetlab launcher arguments", () => {
    const j = planned(
      `${dir}/cjun`,
      "name: j\ntopology:\n  nodes:\n    r: { kind: cjunosevolved, image: cjunos:24 }\n",
    );
    expect(j.spec("r")?.Cmd).toBeUndefined();
    expect(j.env("r").USERNAME).toBeUndefined();
    expect(j.spec("r")?.HostConfig?.Binds).toEqual([`${dir}/cjun/clab-j/r/config:/config`]);
    expect(findKind("cjunosevolved")?.vm).toBe(true);
  });
});

describe("6wind_vsr as nodes/6wind_vsr", () => {
  const w = planned(
    `${dir}/vsr`,
    "name: w\ntopology:\n  nodes:\n    vsr: { kind: 6wind_vsr, image: 6wind/vsr:3.10 }\n",
  );
  const d = `${dir}/vsr/clab-w/vsr`;
  test("capabilities, devices, shm, if-wait before init, init-config.cli bound", () => {
    const s = w.spec("vsr");
    expect(s?.Entrypoint).toEqual(["bash", "-c", "/usr/sbin/if-wait.sh ; exec /sbin/init-container.sh"]);
    expect(s?.HostConfig?.CapAdd).toContain("SYS_PTRACE");
    // Those this host has; a missing one is a note, not a failed start.
    const present = ["/dev/net/tun", "/dev/vhost-net", "/dev/ppp"].filter((p) => existsSync(p));
    expect(s?.HostConfig?.Devices?.map((x) => x.PathOnHost) ?? []).toEqual(present);
    expect(s?.HostConfig?.ShmSize).toBe(512e6);
    expect(s?.HostConfig?.Binds).toEqual([
      `${d}/if-wait.sh:/usr/sbin/if-wait.sh`,
      `${d}/init-config.cli:/etc/init-config.cli`,
    ]);
  });
  test("init-config.cli: the saved config wins, else the startup-config then lab's defaults", () => {
    const base = { name: "vsr", sshKeys: [{ type: "ssh-ed25519", key: "AAAA" }] };
    expect(vsrInitConfig({ ...base, saved: () => "saved\n", startupConfig: "mine\n" })).toBe("saved\n");
    const fresh = vsrInitConfig({
      ...base,
      saved: () => undefined,
      startupConfig: "/ system hostname r1",
      license: "SERIAL",
    });
    expect(fresh.split("\n").slice(0, 2)).toEqual(["/ system hostname r1", "/ vrf main ssh-server"]);
    expect(fresh).toContain('/ system auth user admin authorized-key "ssh-ed25519 AAAA"');
    expect(fresh).toContain('/ system license online serial "SERIAL"');
    expect(findKind("6wind_vsr")?.saveOutput).toBe("user-startup.conf");
  });
});

describe("nokia_srsim components as nodes/sros lays them out", () => {
  mkdirSync(`${dir}/srsim-c`, { recursive: true });
  writeFileSync(`${dir}/srsim-c/license.txt`, "L\n");
  const topo = (nodes: string) =>
    `name: c\ntopology:\n  kinds:\n    nokia_srsim: { license: license.txt }\n  nodes:\n${nodes}`;

  test("one component: its card and MDAs become the simulator's variables; integrated chassis refuse what they lack", () => {
    const c = planned(
      `${dir}/srsim-c`,
      topo(
        '    pe: { kind: nokia_srsim, image: x:1, type: SR-7, components: [{ slot: A, type: cpm5, mda: [{ slot: 1, type: s36-400gb-qsfpdd }], env: { X: "1" } }] }\n',
      ),
    );
    expect(c.env("pe")).toMatchObject({
      NOKIA_SROS_SLOT: "A",
      NOKIA_SROS_CARD: "cpm5",
      NOKIA_SROS_MDA_1: "s36-400gb-qsfpdd",
      NOKIA_SROS_CHASSIS: "SR-7",
      X: "1",
    });
    expect(c.lab.warnings.some((w) => w.message?.includes("components"))).toBe(false);
    // SR-7 is not integrated: its cards are the simulator's business, no card lines.
    expect(c.node("pe")?.startupConfig?.text).not.toContain("/configure card");
    expect(() =>
      planned(`${dir}/srsim-c`, topo("    pe: { kind: nokia_srsim, image: x:1, components: [{ slot: B }] }\n")),
    ).toThrow('expected no slot, or slot A for components of standalone SR-SIM node "pe"');
    expect(() =>
      planned(
        `${dir}/srsim-c`,
        topo("    pe: { kind: nokia_srsim, image: x:1, type: SR-1s, components: [{ type: xcm-1s }] }\n"),
      ),
    ).toThrow('node "pe" type "SR-1s" is integrated and does not support component card-type override');
    // IXR-R6 takes its CPM in slot B: flashes and config of B.
    const b = planned(
      `${dir}/srsim-c`,
      topo("    r6: { kind: nokia_srsim, image: x:1, type: ixr-r6, components: [{ slot: b }] }\n"),
    );
    expect(b.env("r6").NOKIA_SROS_SLOT).toBe("B");
    expect(b.spec("r6")?.HostConfig?.Binds).toContain(`${dir}/srsim-c/clab-c/r6/B/config/cf3:/home/sros/flash3/:rw`);
    expect(b.node("r6")?.startupConfig?.target).toBe(`${dir}/srsim-c/clab-c/r6/B/config/cf3/config.cfg`);
  });

  test("an integrated chassis's fixed card and MDAs (the node's MDA env over them) and power in the default config", () => {
    const c = planned(
      `${dir}/srsim-c`,
      topo(
        '    sr1: { kind: nokia_srsim, image: x:1, env: { NOKIA_SROS_MDA_2: me-custom } }\n    s1s: { kind: nokia_srsim, image: x:1, type: sr-1s }\n    off: { kind: nokia_srsim, image: x:1, env: { CLAB_SROS_DISABLE_COMPONENT_CONFIG: "" } }\n',
      ),
    );
    const cards = (n: string) =>
      (c.node(n)?.startupConfig?.text ?? "").split("\n").filter((l) => /^\/configure (card|chassis)/.test(l));
    expect(cards("sr1")).toEqual([
      "/configure card 1 card-type iom-1 admin-state enable",
      "/configure card 1 mda 1 mda-type me6-100gb-qsfp28 admin-state enable",
      "/configure card 1 mda 2 mda-type me-custom admin-state enable",
    ]);
    expect(cards("s1s").slice(0, 3)).toEqual([
      "/configure card 1 card-type xcm-1s admin-state enable",
      "/configure card 1 mda 1 mda-type s36-100gb-qsfp28 admin-state enable",
      "/configure chassis router chassis-number 1 power-shelf 1 power-shelf-type ps-a4-shelf-dc",
    ]);
    expect(cards("s1s")).toHaveLength(2 + 1 + 4);
    expect(cards("off")).toEqual([]);
  });

  test("a distributed chassis: a container per card, line cards then B then A, all in the first one's namespace", () => {
    const c = planned(
      `${dir}/srsim-c`,
      topo(`    pe:
      kind: nokia_srsim
      image: x:1
      type: SR-7
      mgmt-ipv4: 172.20.20.77
      ports: ["8830:830"]
      components:
        - { slot: A }
        - { slot: B }
        - slot: 2
          type: iom5-e
          sfm: m-sfm6-7/12
          xiom: [{ slot: 1, type: iom-s-3.0t, mda: [{ slot: 1, type: ms18-100gb-qsfp28 }] }]
        - { slot: 1, type: iom4-e, mda: [{ slot: 1, type: me10-10gb-sfp+ }] }
    r: { kind: linux, image: x:1 }
  links:
    - endpoints: ["pe:1/1/1", "r:eth1"]
`),
    );
    const step = c.plan.containers.find((s) => s.node === "pe");
    expect(step?.components?.map((x) => x.name)).toEqual(["clab-c-pe-1", "clab-c-pe-2", "clab-c-pe-b"]);
    expect(step?.name).toBe("clab-c-pe-a");
    const [lc1, lc2, cpmB] = step?.components ?? [];
    const env = (spec: ContainerCreateSpec | undefined) =>
      Object.fromEntries((spec?.Env ?? []).map((e) => e.split(/=(.*)/s).slice(0, 2))) as Record<string, string>;
    // The first card holds the namespace: management address, MAC, hostname, ports.
    expect(lc1?.spec.HostConfig?.NetworkMode).toBe("clab");
    expect(lc1?.spec.NetworkingConfig?.EndpointsConfig?.clab?.IPAMConfig?.IPv4Address).toBe("172.20.20.77");
    expect(lc1?.spec.Hostname).toBe("pe");
    expect(lc1?.spec.HostConfig?.PortBindings).toBeDefined();
    for (const s of [lc2?.spec, cpmB?.spec, step?.spec]) {
      expect(s?.HostConfig?.NetworkMode).toBe("container:clab-c-pe-1");
      expect(s?.HostConfig?.PortBindings).toBeUndefined();
      expect(s?.NetworkingConfig).toBeUndefined();
      expect(s?.Hostname).toBeUndefined();
    }
    expect(env(lc1?.spec)).toMatchObject({
      NOKIA_SROS_SLOT: "1",
      NOKIA_SROS_CARD: "iom4-e",
      NOKIA_SROS_MDA_1: "me10-10gb-sfp+",
    });
    expect(env(lc2?.spec)).toMatchObject({
      NOKIA_SROS_SLOT: "2",
      NOKIA_SROS_CARD: "iom5-e",
      NOKIA_SROS_SFM: "m-sfm6-7/12",
      NOKIA_SROS_XIOM_X1: "iom-s-3.0t",
      NOKIA_SROS_MDA_X1_1: "ms18-100gb-qsfp28",
      NOKIA_SROS_CHASSIS: "SR-7",
    });
    expect(env(step?.spec).NOKIA_SROS_SLOT).toBe("A");
    // Labels name the card and its root node; the links go into the namespace's owner.
    expect(lc2?.spec.Labels).toMatchObject({
      "clab-node-name": "pe-2",
      "clab-node-longname": "clab-c-pe-2",
      "clab-root-node-name": "pe",
      "clab-root-node-longname": "clab-c-pe",
    });
    const link = c.plan.links[0];
    expect(link?.a).toMatchObject({ where: "container", node: "pe", container: "clab-c-pe-1", iface: "e1-1-1" });
    // A brief link with an SR-SIM end is stitched through the host (Containerlab's DefaultLinkType).
    expect(link?.type).toBe("veth-stitch");
    // Control cards get their flashes and the licence; line cards neither.
    const d = `${dir}/srsim-c/clab-c/pe`;
    expect(lc1?.spec.HostConfig?.Binds).toBeUndefined();
    expect(cpmB?.spec.HostConfig?.Binds).toEqual([
      `${d}/license.key:/nokia/license/license.txt:ro`,
      `${d}/B/config/cf1:/home/sros/flash1/:rw`,
      `${d}/B/config/cf2:/home/sros/flash2/:rw`,
      `${d}/B/config/cf3:/home/sros/flash3/:rw`,
    ]);
    expect(step?.spec.HostConfig?.Binds).toContain(`${d}/A/config/cf3:/home/sros/flash3/:rw`);
    // Both control cards boot the configuration, with the line cards' cards, XIOMs and MDAs.
    expect(step?.startupConfig?.target).toBe(`${d}/A/config/cf3/config.cfg`);
    expect(step?.startupConfig?.alsoAt).toEqual([`${d}/B/config/cf3/config.cfg`]);
    const cfg = (c.node("pe")?.startupConfig?.text ?? "").split("\n");
    for (const l of [
      "/configure card 1 card-type iom4-e admin-state enable",
      "/configure card 1 mda 1 mda-type me10-10gb-sfp+ admin-state enable",
      "/configure card 2 card-type iom5-e admin-state enable",
      "/configure sfm 2 sfm-type m-sfm6-7/12 admin-state enable",
      "/configure card 2 xiom x1 xiom-type iom-s-3.0t admin-state enable",
      "/configure card 2 xiom x1 mda 1 mda-type ms18-100gb-qsfp28 admin-state enable",
      "/configure system name pe",
    ])
      expect(cfg).toContain(l);
    expect(c.lab.warnings.some((w) => w.message?.includes("components"))).toBe(false);
  });

  test("a distributed chassis with a slot twice or no control card: one clear error", () => {
    expect(() =>
      planned(
        `${dir}/srsim-c`,
        topo("    pe: { kind: nokia_srsim, image: x:1, type: SR-7, components: [{ slot: A }, { slot: a }] }\n"),
      ),
    ).toThrow("node pe slot A duplicate definition");
    expect(() =>
      planned(
        `${dir}/srsim-c`,
        topo("    pe: { kind: nokia_srsim, image: x:1, type: SR-7, components: [{ slot: 1 }, { slot: 2 }] }\n"),
      ),
    ).toThrow("no CPM in slot A or B");
  });

  test("classic and mixed modes, IXR and SAR families, a SAR-Hm forced to classic, gRPC over TLS with a certificate", () => {
    const c = planned(
      `${dir}/srsim-c`,
      topo(`    cl: { kind: nokia_srsim, image: x:1, env: { CLAB_SROS_CONFIG_MODE: mixed } }
    ixr: { kind: nokia_srsim, image: x:1, type: ixr-e2 }
    sar: { kind: nokia_srsim, image: x:1, type: sar-hm }
    tls: { kind: nokia_srsim, image: x:1, certificate: { issue: true } }
`),
    );
    const text = (n: string) => c.node(n)?.startupConfig?.text ?? "";
    expect(text("cl")).toContain("# CLAB SR OS CLASSIC CONFIGURATION");
    expect(text("cl")).toContain("            configuration-mode mixed");
    expect(text("cl")).toContain("            allow-unsecure-connection");
    expect(text("cl")).not.toContain("/configure card");
    // IXR: no RIB API; the default profile keeps only its show/state rules.
    expect(text("ixr")).not.toContain("rib-api");
    expect(text("ixr")).not.toContain('profile "default" entry 10 match "exec"');
    expect(text("ixr")).toContain("/configure card 1 card-type imm2-qsfpdd+2-qsfp28+24-sfp28 admin-state enable");
    // SAR-Hm has no model-driven mode: classic, and no gRPC.
    expect(c.env("sar").CLAB_SROS_CONFIG_MODE).toBe("classic");
    expect(text("sar")).toContain("configuration-mode classic");
    expect(text("sar")).toContain("access console netconf\n");
    expect(text("sar")).not.toContain("grpc");
    // With a certificate: the TLS profile over node.crt/node.key, enabled once post-deploy imports them.
    expect(text("tls")).toContain(
      '/configure system security tls cert-profile "clab-grpc-certs" entry 1 key-file "node.key"',
    );
    expect(text("tls")).toContain('/configure system security tls cert-profile "clab-grpc-certs" admin-state disable');
    expect(text("tls")).toContain('/configure system grpc tls-server-profile "clab-grpc-tls"');
    expect(text("tls")).not.toContain("allow-unsecure-connection");
  });
});

describe("cisco_c8000 as nodes/c8000", () => {
  test("XR's first-boot config at /startup.cfg with the template's user, NETCONF save, 8000 port names", () => {
    const c = planned(`${dir}/c8k`, "name: k\ntopology:\n  nodes:\n    r: { kind: c8000, image: c8000:24 }\n");
    expect(c.spec("r")?.HostConfig?.Binds).toEqual([`${dir}/c8k/clab-k/r/first-boot.cfg:/startup.cfg`]);
    const cfg = (c.node("r")?.startupConfig?.text ?? "").split("\n");
    for (const l of ["hostname r", "username cisco123", " secret cisco123", " port 9339", "ssh server netconf"])
      expect(cfg).toContain(l);
    expect(findKind("c8000")?.saveNetconf).toBe(true);
    expect(findKind("c8000")?.interfaces?.map("FH0_0_0_1")).toBe("FH0_0_0_1");
    expect(findKind("c8000")?.interfaces?.map("eth1")).toMatchObject({ error: expect.stringContaining("Fi0_0_0_X") });
  });
});

describe("fdio_vpp as nodes/fdio_vpp", () => {
  test("capabilities, if-wait before init, startup.conf and vppcfg.yaml in its config dir", () => {
    const v = planned(`${dir}/vpp`, "name: p\ntopology:\n  nodes:\n    vpp1: { kind: fdio_vpp, image: vpp:25 }\n");
    const d = `${dir}/vpp/clab-p/vpp1`;
    expect(v.spec("vpp1")?.Entrypoint).toEqual(["bash", "-c", "/usr/sbin/if-wait.sh ; exec /sbin/init-container.sh"]);
    expect(v.spec("vpp1")?.HostConfig?.CapAdd).toContain("SYS_PTRACE");
    expect(v.spec("vpp1")?.HostConfig?.Binds).toEqual([`${d}/if-wait.sh:/usr/sbin/if-wait.sh`, `${d}/config:/config`]);
    expect(v.node("vpp1")?.files.find((f) => f.path.endsWith("vpp/startup.conf"))?.text).toContain("cli-prompt vpp1>");
    expect(v.node("vpp1")?.startupConfig).toMatchObject({ target: `${d}/config/vpp/vppcfg.yaml`, text: "" });
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));
