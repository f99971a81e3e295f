// Nokia SR Linux as Containerlab boots it, with a stand-in built here under SR Linux's image name:
// its sr_linux records what it sees and marks the management server ready after a moment; its
// sr_cli answers the readiness, version and feature queries as a 24.10 node does and logs the
// configuration it is fed.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { lab, sh } from "../helpers/env.ts";
import { freeSubnet, labDir, leftovers, NOTHING_LEFT } from "../helpers/lab.ts";
import { buildStandin } from "../helpers/standin.ts";

const t = labDir("e2e-srl");
const subnet = freeSubnet();
const image = `ghcr.io/nokia/srlinux:lab-standin-${t.name}`;
let file = "";
const cfgDir = (n: string) => join(t.dir, `clab-${t.name}`, n, "config");
const inNode = (n: string, cmd: string) => sh(`docker exec clab-${t.name}-${n} ${cmd}`).stdout;

const SR_LINUX = `#!/bin/sh
mkdir -p /tmp/rec /etc/opt/srlinux/devices
env | sort > /tmp/rec/env
cat /proc/self/mountinfo > /tmp/rec/mounts
cat /tmp/topology.yml > /tmp/rec/topology.yml
id -u > /tmp/rec/uid
( sleep 2; echo "loaded initial configuration" > /etc/opt/srlinux/devices/app_ephemeral.mgmt_server.ready_for_config ) &
trap 'exit 0' TERM
while :; do sleep 1; done
`;
const SR_CLI = `#!/bin/sh
log=/etc/opt/srlinux/sr_cli.log
echo "sr_cli $*" >> $log
case "$*" in
  *"mgmt_server state | grep running"*) echo "    state running" ;;
  *"information version | grep version"*) echo "    version v24.10.1-492-gf8858c5836" ;;
  *"features | grep openconfig"*) ;;
  *"environment show | grep -A 2 prompt"*) echo '    value = "--{ running }--[ {pwd} ]--"' ;;
  "-ed") cat >> /etc/opt/srlinux/candidate.log ;;
  "-d tools system configuration save") echo '{"saved": true}' > /etc/opt/srlinux/config.json; echo "saved" ;;
esac
exit 0
`;

beforeAll(() => {
  buildStandin(
    t.dir,
    image,
    {
      sr_linux: SR_LINUX,
      sr_cli: SR_CLI,
      bash: '#!/bin/sh\nexec /bin/sh "$@"\n',
      sudo: '#!/bin/sh\n[ "$1" = "-E" ] && shift\nexec "$@"\n',
    },
    [
      "RUN mkdir -p /opt/srlinux/bin && cp /stand/sr_linux /stand/sr_cli /opt/srlinux/bin/",
      "RUN rm -f /bin/bash /bin/sudo && ln -s /stand/bash /bin/bash && ln -s /stand/sudo /bin/sudo && ln -s /opt/srlinux/bin/sr_cli /bin/sr_cli",
      // busybox sh runs its own su applet: give it an admin user (uid 0, so it may write the config dir).
      "RUN echo 'admin:x:0:0:admin:/root:/bin/sh' >> /etc/passwd",
    ],
  );
  writeFileSync(join(t.dir, "leaf1.cli"), "set / system name host-name leaf1-from-cli\n");
  file = t.write(
    "srl.clab.yml",
    `name: ${t.name}
mgmt: { network: ${t.name}, ipv4-subnet: ${subnet.v4} }
topology:
  nodes:
    leaf1: { kind: nokia_srlinux, image: ${image}, startup-config: leaf1.cli }
    leaf2: { kind: srl, image: ${image}, type: ixr-6e }
  links:
    - endpoints: [leaf1:ethernet-1/1, leaf2:e1-1]
      ipv4: [10.0.0.1/30, 10.0.0.2/30]
`,
  );
});

afterAll(() => {
  t.cleanup();
  sh(`docker rmi -f ${image}`);
});

describe("nokia_srlinux with a stand-in image", () => {
  test("deploys and pushes the default configuration once the management server is ready", () => {
    const r = lab(["up", "-t", file, "--post-deploy-timeout", "60"]);
    if (r.code !== 0) console.error(r.stderr);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("node leaf1: the default configuration configured");
    expect(r.stderr).toContain("SR Linux v24.10.1-492-gf8858c5836: pushing the default configuration");
  }, 120_000);

  test("the chassis in /tmp/topology.yml, its base MAC on mgmt0, env, tmpfs, root", () => {
    const topo = inNode("leaf1", "cat /tmp/rec/topology.yml");
    expect(topo).toContain('"chassis_type": 72');
    const mac = inNode("leaf1", "cat /sys/class/net/eth0/address").trim();
    expect(mac).toMatch(/^1a:[0-9a-f]{2}:00:00:00:00$/);
    expect(topo).toContain(`"base_mac": "${mac}"`);
    expect(inNode("leaf2", "cat /tmp/rec/topology.yml")).toContain('"chassis_type": 68');
    expect(inNode("leaf2", "cat /tmp/rec/env").split("\n")).toContain("SRL_CHASSIS_MODE=GEN2CP_ONLY");
    expect(inNode("leaf1", "cat /tmp/rec/env").split("\n")).toContain("SRLINUX=1");
    expect(inNode("leaf1", "cat /tmp/rec/mounts")).toMatch(/ \/run\/netns .* - tmpfs /);
    expect(inNode("leaf1", "cat /tmp/rec/uid").trim()).toBe("0");
  });

  test("the default configuration for 24.10, the CLI startup-config after it, commit, checkpoint", () => {
    const candidate = readFileSync(join(cfgDir("leaf1"), "candidate.log"), "utf8");
    for (const l of [
      "set / system tls server-profile clab-profile",
      "set / system grpc-server mgmt tls-profile clab-profile",
      "set / system grpc-server insecure-mgmt port 57401",
      "set / system json-rpc-server admin-state enable network-instance mgmt https admin-state enable tls-profile clab-profile",
      "set / system netconf-server mgmt admin-state enable ssh-server mgmt-netconf",
      "set / interface ethernet-1/1 subinterface 0 ipv4 address 10.0.0.1/30",
      "set / system lldp admin-state enable",
      'environment prompt "\\n--{ running }--[ {pwd} ]--"',
    ])
      expect(candidate.split("\n")).toContain(l);
    expect(candidate).toContain("BEGIN CERTIFICATE");
    // The CLI startup-config comes after the defaults, so it wins.
    expect(candidate.trimEnd().endsWith("set / system name host-name leaf1-from-cli")).toBe(true);
    const cli = readFileSync(join(cfgDir("leaf1"), "sr_cli.log"), "utf8");
    expect(cli).toContain("sr_cli -ed commit save");
    expect(cli).toContain("generate-checkpoint name clab-initial");
    // The pushed files do not stay in the node dir.
    expect(existsSync(join(cfgDir("leaf1"), ".lab-default-config"))).toBe(false);
    expect(inNode("leaf1", "cat /etc/hosts")).toMatch(/###### CLAB-v4-START ######\n[\d.]+\tleaf1\n[\d.]+\tleaf2\n/);
  });

  test("a saved config.json boots as it was: no default configuration pushed again", () => {
    expect(lab(["save", "-t", file]).code).toBe(0);
    expect(existsSync(join(cfgDir("leaf1"), "config.json"))).toBe(true);
    const before = readFileSync(join(cfgDir("leaf1"), "candidate.log"), "utf8");
    expect(lab(["down", "-t", file]).code).toBe(0);
    const r = lab(["up", "-t", file, "--post-deploy-timeout", "60"]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(cfgDir("leaf1"), "candidate.log"), "utf8")).toBe(before);
  }, 120_000);

  test("an unknown type is one line before anything is created; down leaves nothing", () => {
    const bad = t.write(
      "bad.clab.yml",
      `name: ${t.name}-bad\ntopology:\n  nodes:\n    x: { kind: srl, image: ${image}, type: ixr-nope }\n`,
    );
    const r = lab(["up", "-t", bad]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('kind nokia_srlinux has no type "ixr-nope"');
    expect(lab(["down", "-t", file, "--cleanup"]).code).toBe(0);
    expect(leftovers(t.name, { network: t.name })).toEqual(NOTHING_LEFT);
  });
});
