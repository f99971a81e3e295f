// cEOS as Containerlab boots it, checked with a stand-in built here under cEOS's image name (no NOS
// image can be pulled): its /sbin/init records the environment, arguments, mounts, MAC and files it
// sees; its `Cli` answers only once "booted" and logs what it is sent.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { lab, sh } from "../helpers/env.ts";
import { freeSubnet, labDir, leftovers, NOTHING_LEFT } from "../helpers/lab.ts";
import { buildStandin } from "../helpers/standin.ts";

const t = labDir("e2e-ceos");
const subnet = freeSubnet();
const image = `ceos:lab-standin-${t.name}`;
let file = "";
const nodeDir = (n: string) => join(t.dir, `clab-${t.name}`, n);
const recorded = (n: string, what: string) => readFileSync(join(nodeDir(n), "flash", "standin", what), "utf8");

// SIGRTMIN+3 (cEOS's stop signal) is 37 on Linux; the stand-in exits on it as systemd would.
const INIT = `#!/bin/sh
out=/mnt/flash/standin
mkdir -p $out
env | sort > $out/env
for a in "$@"; do echo "$a"; done > $out/args
cat /proc/self/mountinfo > $out/mounts
cat /sys/class/net/eth0/address > $out/mac
ls /mnt/flash > $out/flash
cat /persist/secure/ssl/certs/node.crt > $out/node.crt
( sleep 3; touch /tmp/booted ) &
trap 'exit 0' 37 TERM
while :; do sleep 1; done
`;
const CLI = `#!/bin/sh
if [ ! -f /tmp/booted ] || [ -n "$NEVER_READY" ]; then echo "% the CLI is not ready" >&2; exit 1; fi
{ echo "--- $1 $2 $3"; echo "$4"; } >> /mnt/flash/standin/cli.log
echo ok
`;

beforeAll(() => {
  buildStandin(t.dir, image, { init: INIT, Cli: CLI, bash: '#!/bin/sh\nexec /bin/sh "$@"\n' }, [
    "RUN rm -f /sbin/init && cp /stand/init /sbin/init && cp /stand/Cli /usr/bin/Cli && cp /stand/bash /bin/bash",
  ]);
  file = t.write(
    "ceos.clab.yml",
    `name: ${t.name}
mgmt: { network: ${t.name}, ipv4-subnet: ${subnet.v4} }
topology:
  nodes:
    sw1: { kind: arista_ceos, image: ${image}, mgmt-ipv4: 172.30.${subnet.third}.11, env: { EXTRA: "x" } }
    sw2: { kind: ceos, image: ${image}, env: { NEVER_READY: "1" } }
  links:
    - endpoints: [sw1:eth1, sw2:eth1]
      ipv4: [10.0.0.1/30, 10.0.0.2/30]
`,
  );
});

afterAll(() => {
  t.cleanup();
  sh(`docker rmi -f ${image}`);
});

describe("arista_ceos with a stand-in image", () => {
  test("deploys; a node whose CLI never answers is one warning and the lab stays up", () => {
    const r = lab(["up", "-t", file, "--post-deploy-timeout", "8"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("node sw1: management and link addresses configured");
    const warn = r.stderr
      .split("\n")
      .filter((l) => l.includes("node sw2: management and link addresses not configured"));
    expect(warn).toHaveLength(1);
    expect(warn[0]).toContain("% the CLI is not ready");
  }, 120_000);

  test("the container gets cEOS's environment, command, MAC and mounts", () => {
    const env = recorded("sw1", "env");
    for (const kv of [
      "CEOS=1",
      "EOS_PLATFORM=ceoslab",
      "INTFTYPE=eth",
      "MGMT_INTF=eth0",
      "EXTRA=x",
      "container=docker",
    ])
      expect(env.split("\n")).toContain(kv);
    const args = recorded("sw1", "args").trim().split("\n");
    expect(args).toContain("systemd.setenv=CEOS=1");
    expect(args).toContain("systemd.setenv=EXTRA=x");
    const spec = JSON.parse(sh(`docker inspect clab-${t.name}-sw1`).stdout)[0];
    expect(recorded("sw1", "mac").trim()).toMatch(/^00:1c:73(:[0-9a-f]{2}){3}$/);
    const mounts = recorded("sw1", "mounts");
    for (const m of [
      "/mnt/flash",
      "/persist/secure/ssl/keys/node.key",
      "/persist/secure/ssl/certs/node.crt",
      "/persist/secure/ssl/certs/ca.crt",
    ])
      expect(mounts).toContain(` ${m} `);
    expect(spec.Config.StopSignal).toBe("SIGRTMIN+3");
  });

  test("flash holds the default config with the static address, the system MAC and if-wait", () => {
    const flash = recorded("sw1", "flash").split("\n");
    for (const f of ["startup-config", "system_mac_address", "if-wait.sh"]) expect(flash).toContain(f);
    const cfg = readFileSync(join(nodeDir("sw1"), "flash", "startup-config"), "utf8").split("\n");
    expect(cfg).toContain("hostname sw1");
    expect(cfg).toContain(`   ip address 172.30.${subnet.third}.11/24`);
    expect(cfg).toContain(`ip route 0.0.0.0/0 172.30.${subnet.third}.1`);
    expect(cfg).toContain("management api http-commands");
    const mac = recorded("sw1", "mac").trim();
    const sys = readFileSync(join(nodeDir("sw1"), "flash", "system_mac_address"), "utf8");
    expect(sys.slice(0, 15)).toBe(mac.slice(0, 15));
    expect(Number.parseInt(sys.slice(15), 16)).toBe((Number.parseInt(mac.slice(15), 16) + 1) & 0xff);
  });

  test("the certificate names the node and its management address", () => {
    const pem = recorded("sw1", "node.crt");
    expect(pem).toContain("BEGIN CERTIFICATE");
    const text = sh("openssl x509 -noout -text", { input: pem }).stdout;
    expect(text).toContain(`IP Address:172.30.${subnet.third}.11`);
    expect(text).toContain(`DNS:sw1.${t.name}.io`);
  });

  test("post-deploy pushes the management and link addresses once the CLI answers, then saves", () => {
    const log = readFileSync(join(nodeDir("sw1"), "flash", "standin", "cli.log"), "utf8");
    expect(log).toContain("--- -p 15 -c");
    const lines = log.split("\n");
    for (const l of [
      "configure",
      "interface Management0",
      `ip address 172.30.${subnet.third}.11/24`,
      "interface eth1",
      "no switchport",
      "ip address 10.0.0.1/30",
      "write",
    ])
      expect(lines).toContain(l);
    expect(existsSync(join(nodeDir("sw2"), "flash", "standin", "cli.log"))).toBe(false);
  });

  test("lab save runs Cli -p 15 -c wr; a redeploy keeps the config on flash", () => {
    const r = lab(["save", "-t", file, "--node-filter", "sw1"]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(nodeDir("sw1"), "flash", "standin", "cli.log"), "utf8")).toContain("--- -p 15 -c\nwr");
    const cfgPath = join(nodeDir("sw1"), "flash", "startup-config");
    writeFileSync(cfgPath, "hostname saved-by-the-node\n");
    expect(lab(["down", "-t", file]).code).toBe(0);
    expect(lab(["up", "-t", file, "--post-deploy-timeout", "4"]).code).toBe(0);
    expect(readFileSync(cfgPath, "utf8")).toBe("hostname saved-by-the-node\n");
    expect(lab(["down", "-t", file, "--cleanup"]).code).toBe(0);
    expect(leftovers(t.name, { network: t.name })).toEqual(NOTHING_LEFT);
  }, 120_000);
});
