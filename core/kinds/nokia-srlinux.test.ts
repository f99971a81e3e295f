// SR Linux against what Containerlab's nodes/srl produces for the same node.
import { afterAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { LabError } from "../errors.ts";
import { parseSrlVersion, srlBaseMac, srlDefaultConfig } from "./nokia-srlinux.ts";
import { nosHostsBlock } from "./nos-hosts.ts";
import { srlTopology } from "./srl-chassis.ts";
import { planned } from "./test-lab.ts";

const dir = "/tmp/lab-srl-kind-test";
const p = planned(
  dir,
  `name: s
topology:
  nodes:
    a: { kind: nokia_srlinux, image: "ghcr.io/nokia/srlinux:24.10" }
    b: { kind: srl, image: "ghcr.io/nokia/srlinux:24.10", type: ixr-6e }
    c: { kind: srl, image: "ghcr.io/nokia/srlinux:24.10", type: ixr-10e, env: { SRL_CHASSIS_MODE: mine } }
  links:
    - endpoints: [a:e1-1, b:e1-1]
`,
);
const d = `${dir}/clab-s/a`;

describe("nokia_srlinux as nodes/srl", () => {
  test("type ixr-d2l by default; topology.yml with the chassis and a base MAC that is the management MAC", () => {
    expect(p.node("a")?.type).toBe("ixr-d2l");
    const mac = p.spec("a")?.MacAddress as string;
    expect(mac).toMatch(/^1a:[0-9a-f]{2}:00:00:00:00$/);
    expect(p.spec("b")?.MacAddress).toMatch(/^1a:[0-9a-f]{2}:01:00:00:00$/);
    const topo = p.node("a")?.files.find((f) => f.path === `${d}/topology.yml`)?.text ?? "";
    expect(topo).toContain('"chassis_type": 72');
    expect(topo).toContain(`"base_mac": "${mac}"`);
    expect(topo).toContain('"cpm_card_type": 187');
    expect(srlTopology("ixr-6e", "1a:00:00:00:00:00")).toContain('"chassis_type": 68');
  });

  test("binds, tmpfs, env, user, sysctls", () => {
    const s = p.spec("a");
    expect(s?.HostConfig?.Binds).toEqual([
      `${d}/config:/etc/opt/srlinux/:rw`,
      `${d}/topology.yml:/tmp/topology.yml:ro`,
      `${d}/yum.repo:/etc/yum.repos.d/srlinux.repo:ro`,
      `${d}/apt.list:/etc/apt/sources.list.d/srlinux.list:ro`,
    ]);
    const apt = p.node("a")?.files.find((f) => f.path === `${d}/apt.list`);
    expect(apt?.text).toBe("deb [trusted=yes] https://srlinux.fury.site/apt/ /");
    expect(s?.HostConfig?.Tmpfs).toEqual({ "/run/netns": "rw,nosuid,nodev,noexec" });
    expect(p.env("a").SRLINUX).toBe("1");
    expect(p.env("a").SRL_CHASSIS_MODE).toBeUndefined();
    expect(p.env("b").SRL_CHASSIS_MODE).toBe("GEN2CP_ONLY");
    expect(p.env("c").SRL_CHASSIS_MODE).toBe("mine");
    expect(s?.User).toBe("0:0");
    expect(s?.HostConfig?.Sysctls?.["net.ipv4.ip_forward"]).toBe("0");
    expect(p.node("a")?.certificate?.issue).toBe(true);
  });

  test("an unknown type is one clear error", () => {
    expect(() =>
      planned(`${dir}/bad`, "name: x\ntopology:\n  nodes:\n    a: { kind: srl, image: srl:1, type: ixr-nope }\n"),
    ).toThrow(LabError);
    try {
      planned(`${dir}/bad`, "name: x\ntopology:\n  nodes:\n    a: { kind: srl, image: srl:1, type: ixr-nope }\n");
    } catch (error) {
      expect((error as Error).message).toContain('kind nokia_srlinux has no type "ixr-nope"');
    }
  });

  test("the release decides what the default configuration holds", () => {
    const node = {
      name: "a",
      mgmtIntf: "mgmt0",
      links: [],
      interfaces: [
        { iface: "e1-1", mtu: 0, ipv4: "10.0.0.1/30" },
        { iface: "e1-3-1", mtu: 9000 },
      ],
      tls: { cert: "CERT", key: "KEY", anchor: "CA" },
      sshKeys: [{ type: "ssh-ed25519", key: "AAAA" }],
    };
    const v2410 = srlDefaultConfig(node, parseSrlVersion("version v24.10.1-492-gf8858c5836"), false);
    expect(v2410).toContain('set / system tls server-profile clab-profile key "KEY"');
    expect(v2410).toContain("set / system grpc-server mgmt tls-profile clab-profile");
    expect(v2410).toContain("set / system grpc-server eda-discovery port 50052");
    expect(v2410).toContain("set / system netconf-server mgmt admin-state enable ssh-server mgmt-netconf");
    expect(v2410).toContain("set / interface ethernet-1/1 subinterface 0 ipv4 address 10.0.0.1/30");
    expect(v2410).toContain("set / interface ethernet-1/3 breakout-mode num-breakout-ports 4 breakout-port-speed 25G");
    expect(v2410).toContain("set / interface ethernet-1/3 mtu 9000");
    expect(v2410).toContain('set / system aaa authentication admin-user ssh-key [ "ssh-ed25519 AAAA" ]');
    expect(v2410).not.toContain("ndk-server");
    expect(v2410).toContain("set / system grpc-server eda-mgmt port 57410");
    // CLAB_EDA_USE_DEFAULT_GRPC_SERVER: EDA rides the default mgmt server instead.
    const onDefault = srlDefaultConfig(node, parseSrlVersion("v24.10.1"), false, undefined, true);
    expect(onDefault).not.toContain("eda-mgmt");
    expect(onDefault).toContain("set / system grpc-server mgmt metadata-authentication true");
    expect(onDefault).toContain("set / system grpc-server mgmt tls-profile EDA");
    expect(onDefault).toContain("set / system grpc-server eda-discovery port 50052");
    const v233 = srlDefaultConfig(node, parseSrlVersion("v23.3.1-343-gab924f2e64"), false);
    expect(v233).toContain("set / system gnmi-server admin-state enable network-instance mgmt");
    expect(v233).not.toContain("acl-filter");
    expect(v233).not.toContain("ssh-key");
    expect(v233).not.toContain("netconf-server");
    const unknown = srlDefaultConfig(node, parseSrlVersion("?"), true);
    expect(unknown).toContain("set / system tls profile clab-profile");
    expect(unknown).toContain("set / system ndk-server admin-state enable");
    expect(unknown).toContain("set / system management openconfig admin-state enable");
    expect(unknown).not.toContain("environment prompt");
    const prompted = srlDefaultConfig(node, parseSrlVersion("?"), false, "--{ running }--").split("\n");
    expect(prompted).toContain('environment prompt "\\n--{ running }--"');
    expect(prompted).toContain("environment save file /home/admin/.srlinuxrc");
  });

  test("hosts block and base MAC", () => {
    expect(
      nosHostsBlock([
        { name: "a", ipv4: "172.20.20.2" },
        { name: "b", ipv6: "3fff::3" },
      ]),
    ).toBe(
      "\n###### CLAB-v4-START ######\n172.20.20.2\ta\n###### CLAB-v4-END ######\n\n###### CLAB-v6-START ######\n3fff::3\tb\n###### CLAB-v6-END ######\n",
    );
    expect(srlBaseMac({ lab: "l", name: "x", index: 300 })).toMatch(/^1a:[0-9a-f]{2}:2c:00:00:00$/);
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));
