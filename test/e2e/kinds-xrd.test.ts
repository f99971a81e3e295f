// Cisco XRd as Containerlab boots it, with a stand-in built here under XRd's image name that
// records what it sees at start, and a NETCONF stand-in (an SSH server with the netconf
// subsystem) run in the node's network namespace to receive lab save's copy-config.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { lab, sh } from "../helpers/env.ts";
import { freeSubnet, labDir, leftovers, NOTHING_LEFT } from "../helpers/lab.ts";
import { startNosSsh } from "../helpers/nos-ssh.ts";
import { buildStandin } from "../helpers/standin.ts";

const t = labDir("e2e-xrd");
const subnet = freeSubnet();
const image = `ios-xr/xrd-control-plane:lab-standin-${t.name}`;
let file = "";
let stop = () => {};
const nodeDir = join(t.dir, `clab-${t.name}`, "xr1");
const recorded = (what: string) => readFileSync(join(nodeDir, "xr-storage", "standin", what), "utf8");

const STANDIN = `#!/bin/sh
out=/xr-storage/standin
mkdir -p $out
env | sort > $out/env
cat /proc/self/mountinfo > $out/mounts
ls /etc/xrd > $out/etc-xrd
cat /etc/xrd/first-boot.cfg > $out/first-boot.cfg
trap 'exit 0' TERM
while :; do sleep 1; done
`;

beforeAll(() => {
  buildStandin(t.dir, image, { "standin.sh": STANDIN }, ['CMD ["/stand/standin.sh"]']);
  file = t.write(
    "xrd.clab.yml",
    `name: ${t.name}
mgmt: { network: ${t.name}, ipv4-subnet: ${subnet.v4}, ipv6-subnet: ${subnet.v6} }
topology:
  nodes:
    xr1: { kind: cisco_xrd, image: ${image} }
    xr2: { kind: xrd, image: ${image} }
  links:
    - endpoints: [xr1:Gi0-0-0-0, xr2:Gi0-0-0-0]
    - endpoints: [xr1:Gi0-0-0-1, xr2:Gi0-0-0-1]
`,
  );
});

afterAll(() => {
  stop();
  t.cleanup();
  sh(`docker rmi -f ${image}`);
});

describe("cisco_xrd with a stand-in image", () => {
  test("deploys with XR's environment, binds and first-boot config", () => {
    const r = lab(["up", "-t", file]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("node xr1: the IPv6 management address script written");
    const env = recorded("env").split("\n");
    for (const kv of [
      "XR_FIRST_BOOT_CONFIG=/etc/xrd/first-boot.cfg",
      "XR_MGMT_INTERFACES=linux:eth0,xr_name=Mg0/RP0/CPU0/0,chksum,snoop_v4,snoop_v6",
      "XR_EVERY_BOOT_SCRIPT=/etc/xrd/mgmt_intf_v6_addr.sh",
      "XR_INTERFACES=linux:Gi0-0-0-0,xr_name=Gi0/0/0/0;linux:Gi0-0-0-1,xr_name=Gi0/0/0/1;",
    ])
      expect(env).toContain(kv);
    const mounts = recorded("mounts");
    for (const m of ["/etc/xrd/first-boot.cfg", "/xr-storage", "/etc/xrd/mgmt_intf_v6_addr.sh"])
      expect(mounts).toContain(` ${m} `);
    const cfg = recorded("first-boot.cfg").split("\n");
    for (const l of ["hostname xr1", "username clab", "netconf-yang agent", "ssh server netconf"])
      expect(cfg).toContain(l);
    expect(cfg).toContain(`  0.0.0.0/0 MgmtEth0/RP0/CPU0/0 172.30.${subnet.third}.1`);
  }, 120_000);

  test("post-deploy: the every-boot script holds the IPv6 address the engine assigned", () => {
    const inspect = JSON.parse(sh(`docker inspect clab-${t.name}-xr1`).stdout)[0];
    const net = inspect.NetworkSettings.Networks[t.name];
    expect(net.GlobalIPv6Address).toBeTruthy();
    const inNode = sh(`docker exec clab-${t.name}-xr1 cat /etc/xrd/mgmt_intf_v6_addr.sh`).stdout;
    expect(inNode).toContain(`ipv6 address ${net.GlobalIPv6Address}/${net.GlobalIPv6PrefixLen}\\n`);
    expect(inNode).toStartWith("#!/bin/bash\n");
  });

  test("lab save sends NETCONF copy-config running → startup with XRd's credentials", async () => {
    const server = await startNosSsh(`clab-${t.name}-xr1`, {
      port: 830,
      user: "clab",
      password: "clab@123",
      dir: t.dir,
    });
    stop = server.stop;
    const r = lab(["save", "-t", file, "--format", "json"]);
    const results = JSON.parse(r.stdout) as { node: string; status: string; detail: string }[];
    expect(results.find((x) => x.node === "xr1")).toMatchObject({ status: "saved" });
    // xr2 has no NETCONF server: a clear failure, not a hang.
    expect(results.find((x) => x.node === "xr2")?.status).toBe("failed");
    const rpcs = readFileSync(server.log, "utf8").trim().split("\n");
    expect(rpcs[0]).toContain("<copy-config><target><startup/></target><source><running/></source></copy-config>");
    expect(rpcs[1]).toContain("<close-session/>");
  }, 120_000);

  test("a name XRd does not take is one line before anything is created", () => {
    const bad = t.write(
      "bad.clab.yml",
      `name: ${t.name}-bad\ntopology:\n  nodes:\n    x: { kind: xrd, image: ${image} }\n    y: { kind: xrd, image: ${image} }\n  links:\n    - endpoints: [x:eth1, y:Gi0-0-0-0]\n`,
    );
    const r = lab(["up", "-t", bad]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("doesn't match the required pattern");
    expect(leftovers(`${t.name}-bad`).containers).toBe("");
  });

  test("lab down leaves nothing", () => {
    stop();
    expect(lab(["down", "-t", file, "--cleanup"]).code).toBe(0);
    expect(leftovers(t.name, { network: t.name })).toEqual(NOTHING_LEFT);
  });
});
