// cEOS against what Containerlab's nodes/ceos produces for the same node: every field of the create
// spec it sets, the files in the node dir, and the post-deploy CLI lines.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { planDeploy } from "../deploy/plan.ts";
import { ceosPostDeployLines, nextMac } from "./arista-ceos.ts";
import { planned } from "./test-lab.ts";

const dir = "/tmp/lab-ceos-kind-test";
mkdirSync(dir, { recursive: true });
writeFileSync(`${dir}/map.json`, JSON.stringify({ ManagementIntf: { eth0: "Management1" }, EthernetIntf: {} }));

const text = `name: ce
mgmt: { network: cenet, ipv4-subnet: 172.20.30.0/24, ipv6-subnet: 3fff:172:20:30::/64 }
topology:
  nodes:
    sw1:
      kind: arista_ceos
      image: ceos:4.32.0F
      mgmt-ipv4: 172.20.30.11
      env: { EXTRA: "1", INTFTYPE: et }
    sw2:
      kind: ceos
      image: ceos:4.32.0F
      binds: [map.json:/mnt/flash/EosIntfMapping.json:ro]
      env: { CLAB_MGMT_VRF: MGMT }
  links:
    - endpoints: [sw1:eth1, sw2:eth1]
      ipv4: [10.0.0.1/30, 10.0.0.2/30]
`;
const { lab, spec, node } = planned(dir, text);
const nodeDir = `${dir}/clab-ce/sw1`;

describe("arista_ceos as Containerlab's nodes/ceos", () => {
  test("environment: ceosEnv merged under the node's own", () => {
    const env = Object.fromEntries((spec("sw1")?.Env ?? []).map((e) => e.split(/=(.*)/s).slice(0, 2)));
    expect(env).toMatchObject({
      CEOS: "1",
      EOS_PLATFORM: "ceoslab",
      container: "docker",
      ETBA: "1",
      SKIP_ZEROTOUCH_BARRIER_IN_SYSDBINIT: "1",
      INTFTYPE: "et",
      MAPETH0: "1",
      MGMT_INTF: "eth0",
      EXTRA: "1",
    });
  });

  test("command: if-wait, then init with every variable as systemd.setenv", () => {
    const cmd = spec("sw1")?.Cmd as string[];
    expect(cmd.slice(0, 2)).toEqual(["bash", "-c"]);
    expect(cmd[2]).toStartWith("/mnt/flash/if-wait.sh ; exec /sbin/init ");
    for (const kv of ["CEOS=1", "INTFTYPE=et", "EXTRA=1", "MGMT_INTF=eth0", "container=docker"])
      expect(cmd[2]).toContain(`systemd.setenv="${kv}" `);
  });

  test("management MAC under Arista's OUI, the system MAC one above it, stable across plans", () => {
    const mac = spec("sw1")?.MacAddress as string;
    expect(mac).toMatch(/^00:1c:73(:[0-9a-f]{2}){3}$/);
    expect(spec("sw1")?.NetworkingConfig?.EndpointsConfig?.cenet?.MacAddress).toBe(mac);
    const sys = node("sw1")?.files.find((f) => f.path.endsWith("flash/system_mac_address"));
    expect(sys).toMatchObject({ text: nextMac(mac), keep: true });
    expect(planDeploy(lab).containers.find((c) => c.node === "sw1")?.spec.MacAddress).toBe(mac);
    expect(nextMac("00:1c:73:aa:bb:ff")).toBe("00:1c:73:aa:bb:00");
  });

  test("binds: flash and the certificate files; stop signal SIGRTMIN+3", () => {
    expect(spec("sw1")?.HostConfig?.Binds).toEqual([
      `${nodeDir}/flash:/mnt/flash/`,
      `${nodeDir}/ssl/node.key:/persist/secure/ssl/keys/node.key`,
      `${nodeDir}/ssl/node.crt:/persist/secure/ssl/certs/node.crt`,
      `${nodeDir}/ssl/ca.crt:/persist/secure/ssl/certs/ca.crt`,
    ]);
    expect(spec("sw1")?.StopSignal).toBe("SIGRTMIN+3");
    expect(node("sw1")?.certificate?.issue).toBe(true);
    expect(node("sw1")?.files.find((f) => f.path.endsWith("if-wait.sh"))?.mode).toBe(0o755);
  });

  test("default startup-config: hostname, admin, routes, management address, eAPI, gNMI, NETCONF", () => {
    const cfg = node("sw1")?.startupConfig;
    expect(cfg?.target).toBe(`${nodeDir}/flash/startup-config`);
    expect(cfg?.enforce).toBe(false);
    const t = cfg?.text ?? "";
    for (const line of [
      "hostname sw1",
      "username admin privilege 15 secret admin",
      "service routing protocols model multi-agent",
      "ip route 0.0.0.0/0 172.20.30.1",
      "ipv6 route ::/0 3fff:172:20:30::1",
      "interface Management0",
      "   ip address 172.20.30.11/24",
      "management api gnmi",
      "   transport grpc default",
      "management api netconf",
      "   transport ssh default",
      "management api http-commands",
      "   no shutdown",
    ])
      expect(t.split("\n")).toContain(line);
    expect(t).not.toContain("vrf");
  });

  test("CLAB_MGMT_VRF and an EosIntfMapping.json management interface", () => {
    expect(node("sw2")?.mgmtIntf).toBe("Management1");
    const t = (node("sw2")?.startupConfig?.text ?? "").split("\n");
    expect(t).toContain("vrf instance MGMT");
    expect(t).toContain("ip route vrf MGMT 0.0.0.0/0 172.20.30.1");
    expect(t).toContain("interface Management1");
    expect(t).toContain("   vrf MGMT");
    // No static address: it is pushed after start.
    expect(t.some((l) => l.includes("ip address"))).toBe(false);
  });

  test("suppress-startup-config leaves the default out", () => {
    const other = planned(
      dir,
      "name: s\ntopology:\n  nodes:\n    a: { kind: ceos, image: ceos:1, suppress-startup-config: true }\n",
    ).lab;
    expect(other.nodes[0]?.startupConfig).toBeUndefined();
  });

  test("post-deploy: the management and link addresses through the CLI, then saved", () => {
    expect(
      ceosPostDeployLines({
        name: "sw1",
        mgmtIntf: "Management0",
        mgmtIpv4: "172.20.30.11/24",
        mgmtIpv6: "3fff:172:20:30::b/64",
        links: [{ iface: "eth1", ipv4: "10.0.0.1/30" }],
      }),
    ).toEqual([
      "configure",
      "interface Management0",
      "no ip address",
      "no ipv6 address",
      "ip address 172.20.30.11/24",
      "ipv6 address 3fff:172:20:30::b/64",
      "interface eth1",
      "no switchport",
      "no ip address",
      "no ipv6 address",
      "ip address 10.0.0.1/30",
      "end",
      "write",
    ]);
    expect(
      node("sw1")?.kind.postDeploy?.command?.({ name: "sw1", mgmtIntf: "Management0", links: [] })?.slice(0, 4),
    ).toEqual(["Cli", "-p", "15", "-c"]);
  });

  test("interface names: ethX or etX", () => {
    const rule = node("sw1")?.kind.interfaces;
    expect(rule?.map("eth1")).toBe("eth1");
    expect(rule?.map("et1_1")).toBe("et1_1");
    expect(rule?.map("Ethernet1")).toBe("Ethernet1");
    expect(rule?.map("Gi0/1")).toMatchObject({ error: expect.stringContaining("ethX or etX") });
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));
