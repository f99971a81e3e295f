// XRd against what Containerlab's nodes/xrd produces for the same node.
import { afterAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { mgmtIpv6Script, xrInterfaces } from "./cisco-xrd.ts";
import { planned } from "./test-lab.ts";

const dir = "/tmp/lab-xrd-kind-test";
const text = `name: x
mgmt: { network: xnet, ipv4-subnet: 172.20.40.0/24, ipv6-subnet: 3fff:172:20:40::/64 }
topology:
  nodes:
    xr1: { kind: cisco_xrd, image: "ios-xr/xrd-control-plane:24.1.1" }
    xr2: { kind: xrd, image: "ios-xr/xrd-control-plane:24.1.1", env: { CLAB_MGMT_VRF: MGMT, XR_INTERFACES: "mine" } }
  links:
    - endpoints: [xr1:Gi0-0-0-0, xr2:Gi0-0-0-0]
    - endpoints: [xr1:Gi0-0-0-1, xr2:Gi0-0-0-1]
`;
const { spec, env, node } = planned(dir, text);
const nodeDir = `${dir}/clab-x/xr1`;

describe("cisco_xrd as Containerlab's nodes/xrd", () => {
  test("environment: xrdEnv, XR_INTERFACES from the links, the node's own env wins", () => {
    expect(env("xr1")).toMatchObject({
      XR_FIRST_BOOT_CONFIG: "/etc/xrd/first-boot.cfg",
      XR_MGMT_INTERFACES: "linux:eth0,xr_name=Mg0/RP0/CPU0/0,chksum,snoop_v4,snoop_v6",
      XR_EVERY_BOOT_SCRIPT: "/etc/xrd/mgmt_intf_v6_addr.sh",
      XR_INTERFACES: "linux:Gi0-0-0-0,xr_name=Gi0/0/0/0;linux:Gi0-0-0-1,xr_name=Gi0/0/0/1;",
    });
    expect(env("xr2").XR_INTERFACES).toBe("mine");
    expect(xrInterfaces([])).toBe("");
  });

  test("binds: first-boot.cfg, xr-storage and the every-boot script; files made before start", () => {
    expect(spec("xr1")?.HostConfig?.Binds).toEqual([
      `${nodeDir}/first-boot.cfg:/etc/xrd/first-boot.cfg`,
      `${nodeDir}/xr-storage:/xr-storage`,
      `${nodeDir}/mgmt_intf_v6_addr.sh:/etc/xrd/mgmt_intf_v6_addr.sh`,
    ]);
    expect(node("xr1")?.files).toEqual([
      { path: `${nodeDir}/mgmt_intf_v6_addr.sh`, text: "", mode: 0o775, keep: true },
    ]);
    // Issued only when the topology asks, as LoadOrGenerateCertificate.
    expect(node("xr1")?.certificate).toBeUndefined();
    expect(spec("xr1")?.Cmd).toBeUndefined();
  });

  test("first-boot config: user clab, gRPC 9339, NETCONF over SSH, management routes", () => {
    const cfg = node("xr1")?.startupConfig;
    expect(cfg?.target).toBe(`${nodeDir}/first-boot.cfg`);
    const t = (cfg?.text ?? "").split("\n");
    for (const l of [
      "hostname xr1",
      "username clab",
      " group root-lr",
      " secret clab@123",
      "grpc",
      " port 9339",
      " no-tls",
      "netconf-yang agent",
      " ssh",
      "interface MgmtEth0/RP0/CPU0/0",
      "  0.0.0.0/0 MgmtEth0/RP0/CPU0/0 172.20.40.1",
      "  ::/0 MgmtEth0/RP0/CPU0/0 3fff:172:20:40::1",
      "ssh server v2",
      "ssh server netconf",
    ])
      expect(t).toContain(l);
    const vrf = (node("xr2")?.startupConfig?.text ?? "").split("\n");
    for (const l of ["vrf MGMT", " vrf MGMT", "ssh server vrf MGMT", "ssh server netconf vrf MGMT"])
      expect(vrf).toContain(l);
  });

  test("post-deploy writes the IPv6 management script; save goes over NETCONF", () => {
    expect(mgmtIpv6Script({ mgmtIpv6: "3fff:172:20:40::2/64" })).toContain(
      'xrapply_string "interface MgmtEth0/RP0/CPU0/0\\n no ipv6 address\\nipv6 address 3fff:172:20:40::2/64\\n"',
    );
    expect(mgmtIpv6Script({})).toContain('xrapply_string "interface MgmtEth0/RP0/CPU0/0\\n no ipv6 address\\n"');
    const files = node("xr1")?.kind.postDeploy?.files?.({ name: "xr1", mgmtIntf: "eth0", links: [] });
    expect(files?.[0]).toMatchObject({ path: "mgmt_intf_v6_addr.sh", mode: 0o775 });
    expect(node("xr1")?.kind.saveNetconf).toBe(true);
    expect(node("xr1")?.kind.credentials).toEqual({ username: "clab", password: "clab@123" });
  });

  test("interface names: Gi0-0-0-X only", () => {
    const rule = node("xr1")?.kind.interfaces;
    expect(rule?.map("Gi0-0-0-3")).toBe("Gi0-0-0-3");
    expect(rule?.map("eth1")).toMatchObject({ error: expect.stringContaining("Gi0-0-0-X") });
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));
