// Every container kind as lab plans it is what its container gets: one stand-in image, tagged under
// each kind's real image name, records at start its environment, arguments and mounts (PID 1, or the
// bash a kind forces as its entrypoint). One lab holds a node of every kind; each container is checked
// against lab's own plan (--dry-run): every variable, the command line, every bind and the files lab
// wrote behind them, the MAC, host name and user. The plan is the oracle for the executor only (what
// lab planned is what the engine got); what a kind should get comes from Containerlab's code, written
// out below (CONTAINERLAB_ENV) and in the kind tests (core/kinds/*.test.ts, kinds-*.test.ts).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { KINDS } from "../../core/kinds/index.ts";
import type { ContainerCreateSpec } from "../../runtime/docker/types.ts";
import { lab, sh } from "../helpers/env.ts";
import { freeSubnet, labDir, leftovers, NOTHING_LEFT, removeKeptNetwork } from "../helpers/lab.ts";
import { buildStandin } from "../helpers/standin.ts";

const t = labDir("e2e-allkinds");
const subnet = freeSubnet();

/** The image name each kind is usually run from (Containerlab's docs); the tag is the stand-in's. */
const IMAGES: Record<string, string> = {
  arista_ceos: "ceos",
  arista_veos: "vrnetlab/arista_veos",
  arrcus_arcos: "arrcus/arcos",
  aruba_aoscx: "vrnetlab/aruba_arubaos-cx",
  checkpoint_cloudguard: "vrnetlab/checkpoint_cloudguard",
  ciena_saos: "vrnetlab/ciena_saos",
  cisco_asav: "vrnetlab/cisco_asav",
  cisco_c8000: "c8000",
  cisco_c8000v: "vrnetlab/cisco_c8000v",
  cisco_cat9kv: "vrnetlab/cisco_cat9kv",
  cisco_csr1000v: "vrnetlab/cisco_csr1000v",
  cisco_ftdv: "vrnetlab/cisco_ftdv",
  cisco_iol: "vrnetlab/cisco_iol",
  cisco_n9kv: "vrnetlab/cisco_n9kv",
  cisco_sdwan: "vrnetlab/cisco_sdwan",
  cisco_vios: "vrnetlab/cisco_vios",
  cisco_xrd: "ios-xr/xrd-control-plane",
  cisco_xrd_vrouter: "vrnetlab/cisco_xrd_vrouter",
  cisco_xrv: "vrnetlab/cisco_xrv",
  cisco_xrv9k: "vrnetlab/cisco_xrv9k",
  cumulus_cvx: "networkop/cx",
  dell_ftosv: "vrnetlab/dell_ftosv",
  dell_sonic: "vrnetlab/dell_sonic",
  "f5_bigip-ve": "vrnetlab/f5_bigip-ve",
  fdio_vpp: "ligato/vpp-base",
  fortinet_fortigate: "vrnetlab/fortinet_fortigate",
  freebsd: "vrnetlab/freebsd",
  generic_vm: "vrnetlab/ubuntu",
  huawei_vrp: "vrnetlab/huawei_vrp",
  ipinfusion_ocnos: "vrnetlab/ipinfusion_ocnos",
  juniper_cjunosevolved: "juniper/cjunosevolved",
  juniper_crpd: "crpd",
  juniper_csrx: "csrx",
  juniper_vjunosevolved: "vrnetlab/juniper_vjunosevolved",
  juniper_vjunosrouter: "vrnetlab/juniper_vjunos-router",
  juniper_vjunosswitch: "vrnetlab/juniper_vjunos-switch",
  juniper_vmx: "vrnetlab/juniper_vmx",
  juniper_vqfx: "vrnetlab/juniper_vqfx",
  juniper_vsrx: "vrnetlab/juniper_vsrx",
  "keysight_ixia-c-one": "ghcr.io/open-traffic-generator/ixia-c-one",
  linux: "alpine",
  mikrotik_ros: "vrnetlab/mikrotik_routeros",
  nokia_srlinux: "ghcr.io/nokia/srlinux",
  nokia_sros: "vrnetlab/nokia_sros",
  nokia_srsim: "nokia/srsim",
  nvidia_cumulusvx: "vrnetlab/nvidia_cumulusvx",
  openbsd: "vrnetlab/openbsd",
  openwrt: "vrnetlab/openwrt_openwrt",
  ostinato: "ostinato/ostinato",
  paloalto_panos: "vrnetlab/paloalto_pa-vm",
  plvision_sonic: "vrnetlab/plvision_sonic",
  rare: "ghcr.io/rare-freertr/freertr-containerlab",
  "6wind_vsr": "6wind/vsr",
  "sonic-vm": "vrnetlab/sonic_sonic-vs",
  "sonic-vs": "docker-sonic-vs",
  spirent_stc: "spirent/stc",
  veesix_osvbng: "veesix/osvbng",
  vyosnetworks_vyos: "vyos/vyos",
};
/**
 * Environment Containerlab's node code gives each kind, written out from its source (a subset per
 * kind; the mgmt subnets are this lab's). vrnetlab kinds: CONNECTION_MODE = nodes.VrDefConnMode
 * ("tc") and the kind's defaultCredentials in nodes/vr_<kind>/.
 */
const CONTAINERLAB_ENV: Record<string, string[]> = {
  // nodes/ceos/ceos.go ceosEnv
  arista_ceos: [
    "CEOS=1",
    "EOS_PLATFORM=ceoslab",
    "container=docker",
    "ETBA=1",
    "SKIP_ZEROTOUCH_BARRIER_IN_SYSDBINIT=1",
    "INTFTYPE=eth",
    "MAPETH0=1",
    "MGMT_INTF=eth0",
  ],
  // nodes/srl/srl.go srlEnv
  nokia_srlinux: ["SRLINUX=1"],
  // nodes/xrd/xrd.go
  cisco_xrd: [
    "XR_FIRST_BOOT_CONFIG=/etc/xrd/first-boot.cfg",
    "XR_MGMT_INTERFACES=linux:eth0,xr_name=Mg0/RP0/CPU0/0,chksum,snoop_v4,snoop_v6",
    "XR_EVERY_BOOT_SCRIPT=/etc/xrd/mgmt_intf_v6_addr.sh",
  ],
  // nodes/vr_csr/vr-csr.go: NewCredentials("admin", "admin")
  cisco_csr1000v: ["CONNECTION_MODE=tc", "USERNAME=admin", "PASSWORD=admin", `DOCKER_NET_V4_ADDR=${subnet.v4}`],
  // nodes/vr_vmx/vr-vmx.go: NewCredentials("admin", "admin@123")
  juniper_vmx: ["CONNECTION_MODE=tc", "USERNAME=admin", "PASSWORD=admin@123", `DOCKER_NET_V4_ADDR=${subnet.v4}`],
};

/** Settings some kinds cannot deploy without. */
const EXTRA: Record<string, string> = {
  ciena_saos: ', type: "5164"',
  nokia_srsim: ", license: srsim.lic",
};

const containerKinds = KINDS.filter((k) => k.role === "container");
const tag = `lab-standin-${t.name}`;
const image = (kind: string) => `${IMAGES[kind]}:${tag}`;
const node = (kind: string) => `k-${kind.replace(/[^a-z0-9]/g, "")}`;
let file = "";
let plan: { containers: { node: string; kind: string; name: string; spec: ContainerCreateSpec }[] };

// PID 1 records what it was given; a forced bash entrypoint records, then runs as sh would.
const RECORD = `#!/bin/sh
mkdir -p /tmp/rec
env | sort > /tmp/rec/env
# printf, not echo: busybox echo would take an argument like -E as its own option.
if [ $# -gt 0 ]; then printf '%s\\n' "$@"; fi > /tmp/rec/args
cat /proc/self/mountinfo > /tmp/rec/mounts
`;
const PID1 = `${RECORD}trap 'exit 0' TERM\nwhile :; do sleep 1; done\n`;
const BASH = `#!/bin/sh\nif [ "$$" = 1 ]; then /stand/record.sh "$@"; fi\nexec /bin/sh "$@"\n`;
const IDLE = `#!/bin/sh\ntrap 'exit 0' TERM\nwhile :; do sleep 1; done\n`;

beforeAll(() => {
  const base = `lab-standin/any:${tag}`;
  buildStandin(t.dir, base, { "record.sh": RECORD, "pid1.sh": PID1, bash: BASH, "idle.sh": IDLE }, [
    "RUN ln -s /stand/bash /bin/bash && mkdir -p /sbin && ln -s /stand/idle.sh /sbin/init-container.sh",
    'ENTRYPOINT ["/stand/pid1.sh"]',
  ]);
  for (const k of containerKinds) sh(`docker tag ${base} ${image(k.name)}`);
  sh(`docker rmi ${base}`);
  writeFileSync(join(t.dir, "srsim.lic"), "SROS-LICENSE-KEY\n");
  file = t.write(
    "all.clab.yml",
    `name: ${t.name}
mgmt: { network: ${t.name}, ipv4-subnet: ${subnet.v4} }
topology:
  nodes:
${containerKinds.map((k) => `    ${node(k.name)}: { kind: ${k.name}, image: "${image(k.name)}"${EXTRA[k.name] ?? ""} }`).join("\n")}
`,
  );
  const dry = lab(["up", "-t", file, "--dry-run"], { env: { LAB_KVM_DEVICE: "/dev/null" } });
  if (dry.code !== 0) throw new Error(dry.stderr);
  plan = parse(dry.stdout);
});

afterAll(() => {
  lab(["down", "-t", file, "--cleanup"]);
  t.cleanup();
  sh(`docker rmi -f ${containerKinds.map((k) => image(k.name)).join(" ")}`);
});

const inNode = (container: string, cmd: string) => sh(`docker exec ${container} ${cmd}`);

describe(`every container kind (${containerKinds.length}) with a stand-in image`, () => {
  test("the lab deploys, each node's post-deploy bounded", () => {
    expect(IMAGES).toContainAllKeys(containerKinds.map((k) => k.name));
    const r = lab(["up", "-t", file, "--post-deploy-timeout", "5"], { env: { LAB_KVM_DEVICE: "/dev/null" } });
    if (r.code !== 0) console.error(r.stderr);
    expect(r.code).toBe(0);
  }, 300_000);

  test("each container got the environment, command line, binds, files, MAC, host name and user lab planned", () => {
    const problems: string[] = [];
    for (const step of plan.containers) {
      const { spec, name, kind } = step;
      const say = (what: string) => problems.push(`${kind} (${name}): ${what}`);
      const rec = (f: string) => inNode(name, `cat /tmp/rec/${f}`);
      const env = rec("env").stdout.split("\n");
      if (!env.length || rec("env").code !== 0) {
        say("recorded nothing at start");
        continue;
      }
      for (const e of spec.Env ?? []) if (!env.includes(e)) say(`missing env ${e}`);
      const args = rec("args")
        .stdout.split("\n")
        .filter((_, i, all) => i < all.length - 1);
      const want = spec.Entrypoint ? [...spec.Entrypoint.slice(1), ...(spec.Cmd ?? [])] : (spec.Cmd ?? []);
      if (JSON.stringify(args) !== JSON.stringify(want))
        say(`arguments ${JSON.stringify(args)}, planned ${JSON.stringify(want)}`);
      const mounts = rec("mounts").stdout;
      for (const b of spec.HostConfig?.Binds ?? []) {
        const [src, dst] = b.split(":") as [string, string];
        const at = dst.replace(/\/$/, "");
        if (!mounts.includes(` ${at} `)) say(`bind ${b} not mounted`);
        // A file lab wrote is what the container reads there.
        if (src.startsWith(t.dir) && existsSync(src) && statSync(src).isFile()) {
          const inside = inNode(name, `cat ${at}`);
          if (inside.stdout !== readFileSync(src, "utf8")) say(`${at} differs from ${src}`);
        }
      }
      const mode = spec.HostConfig?.NetworkMode ?? "";
      if (spec.MacAddress && !mode.startsWith("container:")) {
        const mac = inNode(name, "cat /sys/class/net/eth0/address").stdout.trim();
        if (mac !== spec.MacAddress) say(`MAC ${mac}, planned ${spec.MacAddress}`);
      }
      if (spec.Hostname && inNode(name, "hostname").stdout.trim() !== spec.Hostname)
        say(`host name is not ${spec.Hostname}`);
      if (spec.User === "0:0" && inNode(name, "id -u").stdout.trim() !== "0") say("not running as root");
    }
    expect(problems).toEqual([]);
  });

  test("each kind's container has the environment Containerlab's node code gives it", () => {
    const missing: string[] = [];
    for (const [kind, vars] of Object.entries(CONTAINERLAB_ENV)) {
      const env = inNode(`clab-${t.name}-${node(kind)}`, "cat /tmp/rec/env").stdout.split("\n");
      for (const v of vars) if (!env.includes(v)) missing.push(`${kind}: ${v}`);
    }
    expect(missing).toEqual([]);
  });

  test("lab down leaves nothing", () => {
    const down = lab(["down", "-t", file, "--cleanup"]);
    expect(down.code).toBe(0);
    const left = leftovers(t.name, { network: t.name });
    // Now and then (1 run in 12 here) dockerd keeps counting an endpoint on a network whose 58
    // containers are all gone, and only a daemon restart frees it (moby/moby#42119). lab says so;
    // that case is the engine's, not lab's, and the network is removed once it can be.
    if (left.network && down.stderr.includes("the engine still counts endpoints")) {
      console.warn(`dockerd kept a phantom endpoint on ${t.name}; network left for the next dockerd restart`);
      removeKeptNetwork(t.name);
      left.network = "";
    }
    expect(left).toEqual(NOTHING_LEFT);
  });
});
