// Nokia SR-SIM as Containerlab's nodes/sros deploys it, with a stand-in image built here under its
// image name: it records its environment and mounts and runs a process named as the simulator's
// (cpm on a control card, iom on a line card). A standalone node, and a distributed chassis: one
// container per card, all in the first card's network namespace, its links there, post-deploy's
// PKI import, TLS profile and save sent to a NETCONF stand-in run in that namespace.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { lab, labAsync, sh, waitFor } from "../helpers/env.ts";
import { freeSubnet, labDir, leftovers, NOTHING_LEFT } from "../helpers/lab.ts";
import { startNosSsh } from "../helpers/nos-ssh.ts";
import { buildStandin } from "../helpers/standin.ts";

const t = labDir("e2e-srsim");
const subnet = freeSubnet();
const image = `nokia/srsim:lab-standin-${t.name}`;
// What a user gets wrong: a vrnetlab SR OS image under kind nokia_srsim.
const vrImage = `vrnetlab/nokia_sros:lab-standin-${t.name}`;
let file = "";
const stops: (() => void)[] = [];
const name = (n: string) => `clab-${t.name}-${n}`;
const inNode = (n: string, cmd: string) => sh(`docker exec ${name(n)} ${cmd}`).stdout;
const nodeDir = (n: string) => join(t.dir, `clab-${t.name}`, n);
const logs: Record<string, string> = {};
/** tx-checksumming of the host end of a node's management veth. */
function mgmtTxChecksumming(n: string): string | undefined {
  const peer = Number(inNode(n, "cat /sys/class/net/eth0/iflink").trim());
  const hostEnd = (JSON.parse(sh("ip -j link show").stdout) as { ifindex: number; ifname: string }[]).find(
    (l) => l.ifindex === peer,
  )?.ifname;
  return /^tx-checksumming: (\w+)/m.exec(sh(`ethtool -k ${hostEnd}`).stdout)?.[1];
}

const RECORD = `#!/bin/sh
mkdir -p /tmp/rec
env | sort > /tmp/rec/env
cat /proc/self/mountinfo > /tmp/rec/mounts
echo "MINOR: STANDIN #1 something SR OS would mention"
if [ -n "$STANDIN_REJECT" ]; then echo "Configuration load failed - using default configuration"; fi
case "$NOKIA_SROS_SLOT" in [0-9]*) exec /stand/iom ;; *) exec /stand/cpm ;; esac
`;
const IDLE = '#!/bin/sh\ntrap "exit 0" TERM\nwhile :; do sleep 1; done\n';
// The test image's busybox has no pgrep: this one matches process names as pgrep's pattern does.
const PGREP = '#!/bin/sh\nfor f in /proc/[0-9]*/comm; do cat "$f" 2>/dev/null; done | grep -qE "$1"\n';

beforeAll(() => {
  buildStandin(t.dir, image, { "record.sh": RECORD, cpm: IDLE, iom: IDLE, pgrep: PGREP }, [
    "RUN ln -s /stand/pgrep /usr/bin/pgrep",
    `RUN mkdir -p /opt/nokia && echo '{"chassis": "SR-7"}' > /opt/nokia/chassis_info.json`,
    "LABEL org.opencontainers.image.title=srsim",
    'CMD ["/stand/record.sh"]',
  ]);
  const vr = sh(
    `printf 'FROM ${image}\\nLABEL vrnetlab-version=0.1\\n' | DOCKER_BUILDKIT=0 docker build -q -t ${vrImage} -`,
  );
  if (vr.code !== 0) throw new Error(vr.stderr);
  writeFileSync(join(t.dir, "srsim.lic"), "SROS-LICENSE-KEY\n");
  file = t.write(
    "srsim.clab.yml",
    `name: ${t.name}
mgmt: { network: ${t.name}, ipv4-subnet: ${subnet.v4} }
topology:
  kinds:
    nokia_srsim: { image: ${image}, license: srsim.lic }
  nodes:
    sim1: { kind: nokia_srsim, type: SR-1x-92S }
    rej: { kind: nokia_srsim, env: { STANDIN_REJECT: "1" } }
    dist:
      kind: nokia_srsim
      type: SR-7
      certificate: { issue: true }
      components:
        - { slot: A }
        - { slot: B }
        - { slot: 1, type: iom4-e, mda: [{ slot: 1, type: me10-10gb-sfp+ }] }
    r1: { kind: linux, image: lab-test/linux:1 }
  links:
    - endpoints: ["dist:1/1/1", "r1:eth1"]
`,
  );
});

afterAll(() => {
  for (const stop of stops) stop();
  lab(["down", "-t", file, "--cleanup"]);
  t.cleanup();
  sh(`docker rmi -f ${vrImage} ${image}`);
});

describe("nokia_srsim with a stand-in image", () => {
  test("deploys; post-deploy waits for the CPM and configures each node over NETCONF", async () => {
    const up = labAsync(["up", "-t", file, "--post-deploy-timeout", "60"]);
    // NETCONF stand-ins in each node's namespace, once its container runs (the chassis: its first card's).
    for (const [node, container] of [
      ["sim1", name("sim1")],
      ["dist", name("dist-a")],
    ] as const) {
      await waitFor(
        () => sh(`docker inspect -f '{{.State.Running}}' ${container}`).stdout.trim() === "true",
        60_000,
        node,
      );
      const netconf = await startNosSsh(container, { port: 830, user: "admin", password: "NokiaSros1!", dir: t.dir });
      stops.push(netconf.stop);
      logs[node] = netconf.log;
    }
    const r = await up;
    if (r.code !== 0) console.error(r.stderr);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("node sim1: hosts, TLS profile and startup configuration configured");
    expect(r.stderr).toContain("node dist: hosts, TLS profile and startup configuration configured");
    // SR-SIM asks for 4 vCPUs: fewer is said, and the lab comes up anyway (Containerlab logs it too).
    if (availableParallelism() < 4)
      expect(r.stderr).toContain(
        `node "sim1" (nokia_srsim) requires minimum 4 vCPUs, but the host only has ${availableParallelism()} vCPUs`,
      );
    // The simulator's log is read: its MINOR messages passed on, a rejected configuration reported.
    expect(r.stderr).toContain("node sim1: SR OS says: MINOR: STANDIN #1 something SR OS would mention");
    expect(r.stderr).toContain(
      'node rej: hosts, TLS profile and startup configuration not configured: SR OS rejected the startup configuration ("Configuration load failed - using default configuration")',
    );
  }, 120_000);

  test("standalone: its chassis, slot and base MAC, flashes of slot A, the licence; saved over NETCONF", () => {
    const envs = inNode("sim1", "cat /tmp/rec/env").split("\n");
    const mac = inNode("sim1", "cat /sys/class/net/eth0/address").trim();
    for (const kv of [
      "SRSIM=1",
      "NOKIA_SROS_CHASSIS=SR-1x-92S",
      "NOKIA_SROS_SLOT=A",
      `NOKIA_SROS_SYSTEM_BASE_MAC=${mac}`,
    ])
      expect(envs).toContain(kv);
    expect(mac).toMatch(/^1c:[0-9a-f]{2}:[0-9a-f]{2}:00:00:00$/);
    expect(inNode("sim1", "cat /nokia/license/license.txt")).toBe("SROS-LICENSE-KEY\n");
    const mounts = inNode("sim1", "cat /tmp/rec/mounts");
    for (const m of ["/home/sros/flash1", "/home/sros/flash2", "/home/sros/flash3"]) expect(mounts).toContain(` ${m} `);
    expect(inNode("sim1", "cat /etc/hosts")).toContain("###### CLAB-v4-START ######");
    // TX checksum offload is off on the host end of its management veth, as Containerlab turns it off.
    expect(mgmtTxChecksumming("sim1")).toBe("off");
    // The image's chassis description, kept in the node dir.
    expect(readFileSync(join(nodeDir("sim1"), "chassis_info.json"), "utf8")).toEndWith('{"chassis": "SR-7"}\n');
    const log = readFileSync(logs.sim1 as string, "utf8");
    expect(log).toContain("<copy-config><target><startup/></target><source><running/></source></copy-config>");
    expect(log).not.toContain("pki");
  });

  test("distributed: a container per card, line card first holding the namespace the others join", () => {
    const mode = (c: string) => sh(`docker inspect -f '{{.HostConfig.NetworkMode}}' ${name(c)}`).stdout.trim();
    const owner = sh(`docker inspect -f '{{.Id}}' ${name("dist-1")}`).stdout.trim();
    expect(mode("dist-1")).toBe(t.name);
    expect(mode("dist-b")).toBe(`container:${owner}`);
    expect(mode("dist-a")).toBe(`container:${owner}`);
    const env = (c: string) => inNode(c, "cat /tmp/rec/env").split("\n");
    expect(env("dist-1")).toEqual(expect.arrayContaining(["NOKIA_SROS_SLOT=1", "NOKIA_SROS_CARD=iom4-e"]));
    expect(env("dist-1")).toContain("NOKIA_SROS_MDA_1=me10-10gb-sfp+");
    expect(env("dist-a")).toEqual(expect.arrayContaining(["NOKIA_SROS_SLOT=A", "NOKIA_SROS_CHASSIS=SR-7"]));
    expect(env("dist-b")).toContain("NOKIA_SROS_SLOT=B");
    // Control cards have their flashes and the licence; the line card neither.
    expect(inNode("dist-a", "cat /tmp/rec/mounts")).toContain(" /home/sros/flash3 ");
    expect(inNode("dist-1", "cat /tmp/rec/mounts")).not.toContain("/home/sros/flash3");
    expect(inNode("dist-b", "cat /nokia/license/license.txt")).toBe("SROS-LICENSE-KEY\n");
    // The link is stitched through the host, as Containerlab makes SR-SIM's brief links.
    expect(sh(`ip -j link show type veth`).stdout).toContain("clab-s-");
    // The link end is in the shared namespace: every card sees it.
    expect(inNode("dist-a", "ip link show e1-1-1")).toContain("e1-1-1");
    expect(inNode("dist-1", "ip link show e1-1-1")).toContain("e1-1-1");
    // Labels name each card and its root node.
    const labels = JSON.parse(sh(`docker inspect -f '{{json .Config.Labels}}' ${name("dist-b")}`).stdout);
    expect(labels).toMatchObject({ "clab-node-name": "dist-b", "clab-root-node-name": "dist" });
  });

  test("distributed: both control cards boot the default config with the cards; the certificate is in cf3 and imported", () => {
    for (const slot of ["A", "B"]) {
      const cfg = readFileSync(join(nodeDir("dist"), slot, "config/cf3/config.cfg"), "utf8");
      expect(cfg).toContain("/configure card 1 card-type iom4-e admin-state enable");
      expect(cfg).toContain("/configure card 1 mda 1 mda-type me10-10gb-sfp+ admin-state enable");
      expect(cfg).toContain('/configure system grpc tls-server-profile "clab-grpc-tls"');
    }
    expect(readFileSync(join(nodeDir("dist"), "A/config/cf3/node.crt"), "utf8")).toContain("BEGIN CERTIFICATE");
    expect(existsSync(join(nodeDir("dist"), "A/config/cf3/node.key"))).toBe(true);
    expect(existsSync(join(nodeDir("sim1"), "A/config/cf3/node.key"))).toBe(false);
    const log = readFileSync(logs.dist as string, "utf8").split("\n");
    const rpc = (s: string) => log.findIndex((l) => l.includes(s));
    expect(rpc("<input-url>cf3:/node.key</input-url>")).toBeGreaterThanOrEqual(0);
    expect(rpc("<input-url>cf3:/node.crt</input-url>")).toBeGreaterThan(rpc("cf3:/node.key"));
    expect(rpc("<cert-profile-name>clab-grpc-certs</cert-profile-name><admin-state>enable")).toBeGreaterThan(
      rpc("cf3:/node.crt"),
    );
    expect(rpc("<commit/>")).toBeGreaterThan(rpc("clab-grpc-certs"));
    expect(rpc("<copy-config>")).toBeGreaterThan(rpc("<commit/>"));
  });

  test("inspect shows every card under its node with the chassis's address; save goes once per chassis", () => {
    const rows = JSON.parse(lab(["inspect", "--name", t.name, "--format", "json"]).stdout)[t.name] as {
      node: string;
      name: string;
      ipv4_address: string;
    }[];
    const dist = rows.filter((r) => r.node === "dist");
    expect(dist.map((r) => r.name).sort()).toEqual([name("dist-1"), name("dist-a"), name("dist-b")]);
    expect(new Set(dist.map((r) => r.ipv4_address)).size).toBe(1);
    expect(dist[0]?.ipv4_address).toMatch(/^172\./);
    // The chassis by its node's name in /etc/hosts too, as Containerlab's extra entry.
    const ip = (dist[0]?.ipv4_address ?? "").split("/")[0];
    expect(readFileSync("/etc/hosts", "utf8").split("\n")).toContain(`${ip}\t${name("dist")}\t# Kind: nokia_srsim`);
    const before = readFileSync(logs.dist as string, "utf8").split("<copy-config>").length;
    const copyDir = join(t.dir, "saved");
    const saved = JSON.parse(
      lab(["save", "-t", file, "--node-filter", "dist", "--copy", copyDir, "--format", "json"]).stdout,
    );
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ node: "dist", status: "saved" });
    // --copy: a timestamped copy of the CPM's config, and the plain name linking to it.
    const nodeCopy = join(copyDir, `clab-${t.name}`, "dist");
    expect(saved[0].copied).toMatch(new RegExp(`^${nodeCopy}/config-\\d{6}_\\d{6}\\.cfg$`));
    expect(readlinkSync(join(nodeCopy, "config.cfg"))).toBe(saved[0].copied.split("/").at(-1));
    expect(readFileSync(join(nodeCopy, "config.cfg"), "utf8")).toBe(
      readFileSync(join(nodeDir("dist"), "A/config/cf3/config.cfg"), "utf8"),
    );
    expect(readFileSync(logs.dist as string, "utf8").split("<copy-config>").length).toBe(before + 1);
  });

  test("stop and start a chassis: every card stops, the link end waits parked and comes back", () => {
    const state = (c: string) => sh(`docker inspect -f '{{.State.Status}}' ${name(c)}`).stdout.trim();
    const stop = lab(["stop", "--name", t.name, "-n", "dist"]);
    expect(stop.code).toBe(0);
    expect(["dist-1", "dist-a", "dist-b"].map(state)).toEqual(["exited", "exited", "exited"]);
    const start = lab(["start", "--name", t.name, "-n", "dist"]);
    if (start.code !== 0) console.error(start.stderr);
    expect(start.code).toBe(0);
    expect(["dist-1", "dist-a", "dist-b"].map(state)).toEqual(["running", "running", "running"]);
    // The new management veth gets offload off again.
    expect(mgmtTxChecksumming("dist-1")).toBe("off");
    expect(inNode("dist-a", "ip link show e1-1-1")).toContain("e1-1-1");
  });

  test("a vrnetlab image under kind nokia_srsim: one clear line, nothing left of it", () => {
    const bad = t.write(
      "bad.clab.yml",
      `name: ${t.name}-bad\nmgmt: { network: ${t.name}-bad, ipv4-subnet: ${freeSubnet().v4} }\ntopology:\n  nodes:\n    pe: { kind: nokia_srsim, image: ${vrImage}, license: srsim.lic }\n`,
    );
    const r = lab(["up", "-t", bad]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("node pe (image");
    expect(r.stderr).toContain("use kind: nokia_sros with this image");
    expect(leftovers(`${t.name}-bad`, { network: `${t.name}-bad` })).toEqual(NOTHING_LEFT);
    lab(["down", "-t", bad, "--cleanup"]);
  });

  test("lab down leaves nothing", () => {
    for (const stop of stops) stop();
    expect(lab(["down", "-t", file, "--cleanup"]).code).toBe(0);
    expect(leftovers(t.name, { network: t.name })).toEqual(NOTHING_LEFT);
  });
});
