// cRPD, SONiC and a vrnetlab kind as Containerlab sets them up, with stand-in images built here
// under their image names: each records what it sees at start, and stubs of the NOS's own tools
// (service, cli, supervisord, supervisorctl) log what they are asked. A vrnetlab node's save goes
// to an SSH stand-in run in its network namespace.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { lab, sh } from "../helpers/env.ts";
import { freeSubnet, labDir, leftovers, NOTHING_LEFT } from "../helpers/lab.ts";
import { startNosSsh } from "../helpers/nos-ssh.ts";
import { buildStandin } from "../helpers/standin.ts";

const t = labDir("e2e-kinds");
const subnet = freeSubnet();
const images = {
  crpd: `crpd:lab-standin-${t.name}`,
  sonic: `docker-sonic-vs:lab-standin-${t.name}`,
  csr: `vrnetlab/cisco_csr1000v:lab-standin-${t.name}`,
  vyos: `vyos/vyos:lab-standin-${t.name}`,
  iol: `vrnetlab/cisco_iol:lab-standin-${t.name}`,
  vios: `vrnetlab/cisco_vios:lab-standin-${t.name}`,
  vsr: `6wind/vsr:lab-standin-${t.name}`,
};
let file = "";
let stop = () => {};
const nodeDir = (n: string) => join(t.dir, `clab-${t.name}`, n);
/** The management address the engine gave a node. */
const mgmtIp = (n: string) =>
  JSON.parse(sh(`docker inspect clab-${t.name}-${n}`).stdout)[0].NetworkSettings.Networks[t.name].IPAddress as string;
const inNode = (n: string, cmd: string) => sh(`docker exec clab-${t.name}-${n} ${cmd}`).stdout;
// VM kinds need /dev/kvm; the stand-in needs none.
const env = { LAB_KVM_DEVICE: "/dev/null" };

const build = (image: string, files: Record<string, string>, extra: string[]) =>
  buildStandin(t.dir, image, files, extra);

const RECORD = `#!/bin/sh
mkdir -p /tmp/rec
env | sort > /tmp/rec/env
for a in "$@"; do echo "$a"; done > /tmp/rec/args
cat /proc/self/mountinfo > /tmp/rec/mounts
trap 'exit 0' TERM
while :; do sleep 1; done
`;

beforeAll(() => {
  build(
    images.crpd,
    {
      "record.sh": RECORD,
      // cRPD images have no SysV ssh service: Containerlab ignores exactly this error.
      service: '#!/bin/sh\necho "$*" >> /tmp/service.log\necho "ssh: unrecognized service" >&2\nexit 1\n',
      cli: '#!/bin/sh\necho "$*" >> /tmp/cli.log\n[ "$*" = "show conf" ] && printf "## saved by cli\\nsystem { host-name crpd1; }\\n"\nexit 0\n',
    },
    ["RUN ln -s /stand/service /usr/sbin/service && ln -s /stand/cli /usr/bin/cli", 'CMD ["/stand/record.sh"]'],
  );
  build(
    images.sonic,
    {
      bash: '#!/bin/sh\nexec /bin/sh "$@"\n',
      supervisord: "#!/bin/sh\necho started > /tmp/supervisord.log\nsleep 3600\n",
      supervisorctl: '#!/bin/sh\necho "$*" >> /tmp/supervisorctl.log\n',
    },
    [
      "RUN ln -s /stand/bash /bin/bash && ln -s /stand/supervisord /usr/bin/supervisord && ln -s /stand/supervisorctl /usr/bin/supervisorctl",
      'CMD ["-c", "while :; do sleep 1; done"]',
    ],
  );
  // A versioned qcow disk in /, as vrnetlab images carry it.
  build(images.csr, { "record.sh": RECORD }, ["RUN touch /csr1000v-17.03.qcow2", 'ENTRYPOINT ["/stand/record.sh"]']);
  build(images.vios, { "record.sh": RECORD }, ['ENTRYPOINT ["/stand/record.sh"]']);
  // IOL's console is its stdin: the stand-in keeps every line typed into it.
  build(
    images.iol,
    {
      "record.sh": RECORD,
      "console.sh": '#!/bin/sh\n/stand/record.sh &\nwhile read -r line; do echo "$line" >> /tmp/console; done\n',
    },
    ['CMD ["/stand/console.sh"]'],
  );
  build(
    images.vsr,
    {
      bash: '#!/bin/sh\nexec /bin/sh "$@"\n',
      "init-container.sh": RECORD,
      "nc-cli": '#!/bin/sh\ncat > /tmp/nc-cli.in\nprintf "/ system hostname saved-vsr\\n"\n',
    },
    [
      "RUN rm -f /bin/bash && ln -s /stand/bash /bin/bash && ln -s /stand/init-container.sh /sbin/init-container.sh && ln -s /stand/nc-cli /bin/nc-cli",
    ],
  );
  build(images.vyos, { "record.sh": RECORD, su: '#!/bin/sh\nprintf "%s\\n---\\n" "$*" >> /tmp/su.log\n' }, [
    "RUN rm -f /bin/su && ln -s /stand/su /bin/su",
    'CMD ["/stand/record.sh"]',
  ]);
  file = t.write(
    "kinds.clab.yml",
    `name: ${t.name}
mgmt: { network: ${t.name}, ipv4-subnet: ${subnet.v4} }
topology:
  nodes:
    crpd1: { kind: juniper_crpd, image: ${images.crpd}, license: junos.lic }
    sonic1: { kind: sonic-vs, image: ${images.sonic} }
    csr1: { kind: cisco_csr1000v, image: ${images.csr} }
    vy1: { kind: vyosnetworks_vyos, image: ${images.vyos}, mgmt-ipv4: 172.30.${subnet.third}.21 }
    iol1: { kind: cisco_iol, image: ${images.iol} }
    vios1: { kind: cisco_vios, image: ${images.vios}, type: l2 }
    vsr1: { kind: 6wind_vsr, image: ${images.vsr}, startup-config: vsr1.cli }
  links:
    - endpoints: [vy1:eth1, csr1:eth1]
      ipv4: [10.0.9.1/30, 10.0.9.2/30]
    - endpoints: [iol1:Ethernet0/1, csr1:eth2]
      ipv4: [10.0.8.1/30, 10.0.8.2/30]
`,
  );
  writeFileSync(join(t.dir, "junos.lic"), "JUNOS-LICENSE-KEY\n");
  writeFileSync(join(t.dir, "vsr1.cli"), "/ system hostname vsr1\n");
});

afterAll(() => {
  stop();
  t.cleanup();
  sh(`docker rmi -f ${Object.values(images).join(" ")}`);
});

describe("NOS kinds with stand-in images", () => {
  test("deploys; each kind's post-deploy step runs", () => {
    const r = lab(["up", "-t", file, "--post-deploy-timeout", "20"], { env });
    if (r.code !== 0) console.error(r.stderr);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("node crpd1: sshd restart and licence configured");
    expect(r.stderr).toContain("node sonic1: supervisord and bgpd started");
    expect(r.stderr).toContain("node vy1: management and link addresses and SSH keys configured");
    expect(r.stderr).toContain("node iol1: the boot configuration configured");
    expect(r.stderr).toContain("node vios1: the boot configuration configured");
  }, 120_000);

  test("cRPD: config, log and sshd_config bound, juniper.conf and the licence in its config dir", () => {
    const mounts = inNode("crpd1", "cat /tmp/rec/mounts");
    for (const m of ["/config", "/var/log", "/etc/ssh/sshd_config"]) expect(mounts).toContain(` ${m} `);
    expect(inNode("crpd1", "cat /etc/ssh/sshd_config")).toContain("Subsystem netconf /usr/bin/netconf");
    expect(inNode("crpd1", "cat /config/juniper.conf")).toContain("root-login allow;");
    expect(inNode("crpd1", "cat /config/license/license.lic")).toBe("JUNOS-LICENSE-KEY\n");
    expect(inNode("crpd1", "cat /tmp/service.log")).toBe("ssh restart\n");
    expect(inNode("crpd1", "cat /tmp/cli.log")).toBe("-c request system license add /config/license/license.lic\n");
  });

  test("SONiC: bash as the entrypoint; supervisord and bgpd started", () => {
    const inspect = JSON.parse(sh(`docker inspect clab-${t.name}-sonic1`).stdout)[0];
    expect(inspect.Config.Entrypoint).toEqual(["/bin/bash"]);
    let started = "";
    for (let i = 0; i < 20 && !started.includes("start bgpd"); i++) {
      sh("sleep 0.25");
      started = inNode("sonic1", "cat /tmp/supervisorctl.log");
    }
    expect(started).toBe("start bgpd\n");
    expect(inNode("sonic1", "cat /tmp/supervisord.log")).toBe("started\n");
  });

  test("vrnetlab: the launcher's arguments and environment", () => {
    const args = inNode("csr1", "cat /tmp/rec/args").trim().split("\n");
    expect(args).toEqual([
      "--username",
      "admin",
      "--password",
      "admin",
      "--hostname",
      "csr1",
      "--connection-mode",
      "tc",
      "--trace",
    ]);
    const envs = inNode("csr1", "cat /tmp/rec/env").split("\n");
    for (const kv of ["USERNAME=admin", "PASSWORD=admin", "CONNECTION_MODE=tc", `DOCKER_NET_V4_ADDR=${subnet.v4}`])
      expect(envs).toContain(kv);
  });

  test("VyOS: config dir owned by vyattacfg, config.boot with the certificate as VyOS reads it, addresses as admin", () => {
    const mounts = inNode("vy1", "cat /tmp/rec/mounts");
    for (const m of ["/opt/vyatta/etc/config", "/lib/modules"]) expect(mounts).toContain(` ${m} `);
    expect(sh(`stat -c %g ${nodeDir("vy1")}`).stdout.trim()).toBe("102");
    const boot = inNode("vy1", "cat /opt/vyatta/etc/config/config.boot");
    expect(boot).toContain('host-name "vy1"');
    expect(boot).not.toContain("BEGIN");
    const key = /key "([A-Za-z0-9+/=]+)"/.exec(boot.split("private {")[1] ?? "")?.[1] ?? "";
    const pem = `-----BEGIN PRIVATE KEY-----\n${key.match(/.{1,64}/g)?.join("\n")}\n-----END PRIVATE KEY-----\n`;
    expect(sh("openssl pkey -noout", { input: pem }).code).toBe(0);
    expect(inNode("vy1", "ls /opt/vyatta/etc/config/scripts").split("\n")).toContain("vyos-postconfig-bootup.script");
    const su = inNode("vy1", "cat /tmp/su.log");
    expect(su).toContain("- admin -c source /opt/vyatta/etc/functions/script-template");
    expect(su).toContain(`set interfaces ethernet eth0 address 172.30.${subnet.third}.21/24`);
    expect(su).toContain("set interfaces ethernet eth1 address 10.0.9.1/30");
    expect(su).toContain("commit\nsave\nexit");
  });

  test("IOL: its PID, nvram, NETMAP and iouyap.ini, and a boot config with the engine's addresses", () => {
    // Nodes by name: crpd1, csr1, iol1, … so iol1 is the third: PID 3.
    expect(inNode("iol1", "cat /tmp/rec/env").split("\n")).toContain("IOL_PID=3");
    expect(inNode("iol1", "ls /iol").trim().split("\n").sort()).toEqual([
      "NETMAP",
      "config.txt",
      "iouyap.ini",
      "nvram_00003",
    ]);
    expect(inNode("iol1", "cat /iol/NETMAP")).toBe("3:0/0 513:0/0\n3:0/1 513:0/1\n");
    expect(inNode("iol1", "cat /iol/iouyap.ini")).toContain("[513:0/1]\neth_dev = eth1\n");
    const ip = mgmtIp("iol1");
    const boot = inNode("iol1", "cat /iol/config.txt").split("\n");
    for (const l of [
      "hostname iol1",
      ` ip address ${ip} 255.255.255.0`,
      "interface Ethernet0/1",
      " ip address 10.0.8.1 255.255.255.252",
      `ip route vrf clab-mgmt 0.0.0.0 0.0.0.0 Ethernet0/0 172.30.${subnet.third}.1`,
    ])
      expect(boot).toContain(l);
  });

  test("vIOS: the boot config in /config with the engine's address and the node's login", () => {
    const ip = mgmtIp("vios1");
    const boot = inNode("vios1", "cat /config/startup-config.cfg").split("\n");
    for (const l of [
      "hostname vios1",
      "username admin privilege 15 password admin",
      " no switchport",
      ` ip address ${ip} 255.255.255.0`,
      `ip route vrf clab-mgmt 0.0.0.0 0.0.0.0 172.30.${subnet.third}.1`,
    ])
      expect(boot).toContain(l);
    expect(inNode("vios1", "cat /tmp/rec/args").split("\n")).toContain("--hostname");
  });

  test("6WIND VSR: if-wait then its init, init-config.cli from the startup-config and lab's defaults", () => {
    expect(inNode("vsr1", "cat /tmp/rec/mounts")).toContain(" /etc/init-config.cli ");
    const init = inNode("vsr1", "cat /etc/init-config.cli").split("\n");
    expect(init.slice(0, 2)).toEqual(["/ system hostname vsr1", "/ vrf main ssh-server"]);
    const inspect = JSON.parse(sh(`docker inspect clab-${t.name}-vsr1`).stdout)[0];
    expect(inspect.Config.Entrypoint).toEqual(["bash", "-c", "/usr/sbin/if-wait.sh ; exec /sbin/init-container.sh"]);
    // 6WIND VSR's default shm-size "512M" through humanize.ParseBytes, as Containerlab reads it.
    expect(inspect.HostConfig.ShmSize).toBe(512e6);
  });

  test("lab save: cRPD's cli show conf into juniper.conf, the VM's running config over SSH", async () => {
    const server = await startNosSsh(`clab-${t.name}-csr1`, { port: 22, user: "admin", password: "admin", dir: t.dir });
    const iol = await startNosSsh(`clab-${t.name}-iol1`, { port: 22, user: "admin", password: "admin", dir: t.dir });
    stop = () => {
      server.stop();
      iol.stop();
    };
    const r = lab(["save", "-t", file, "--format", "json"]);
    const results = JSON.parse(r.stdout) as { node: string; status: string; detail: string }[];
    expect(results.find((x) => x.node === "crpd1")?.status).toBe("saved");
    expect(results.find((x) => x.node === "csr1")?.status).toBe("saved");
    expect(results.find((x) => x.node === "sonic1")?.status).toBe("skipped");
    expect(results.find((x) => x.node === "vy1")?.status).toBe("saved");
    expect(readFileSync(join(nodeDir("crpd1"), "config", "juniper.conf"), "utf8")).toBe(
      "## saved by cli\nsystem { host-name crpd1; }\n",
    );
    expect(readFileSync(join(nodeDir("csr1"), "config", "startup-config.cfg"), "utf8")).toContain("hostname standin");
    expect(readFileSync(server.log, "utf8")).toBe("exec: show running-config\n");
    expect(results.find((x) => x.node === "iol1")?.status).toBe("saved");
    expect(results.find((x) => x.node === "vsr1")?.status).toBe("saved");
    expect(readFileSync(join(nodeDir("vsr1"), "user-startup.conf"), "utf8")).toBe("/ system hostname saved-vsr\n");
    expect(inNode("vsr1", "cat /tmp/nc-cli.in")).toBe("show config nodefault fullpath\n");
    expect(readFileSync(iol.log, "utf8")).toBe("exec: write memory\n");
  }, 60_000);

  test("lab stop of a vrnetlab node first names its qcow disk by the image tag (VRNode.PreStop)", () => {
    expect(lab(["stop", "--name", t.name, "-n", "csr1"]).code).toBe(0);
    expect(lab(["start", "--name", t.name, "-n", "csr1"]).code).toBe(0);
    const tag = images.csr.split(":").at(-1);
    const inodes = inNode("csr1", `ls -i /csr1000v-17.03.qcow2 /clab-${tag}.qcow2`)
      .trim()
      .split("\n")
      .map((l) => l.trim().split(/\s+/)[0]);
    expect(inodes).toHaveLength(2);
    expect(inodes[0]).toBe(inodes[1]);
  });

  test("IOL booting again from its nvram gets the management address typed into its console", () => {
    expect(lab(["down", "-t", file, "--node-filter", "iol1"]).code).toBe(0);
    const r = lab(["up", "-t", file, "--node-filter", "iol1"]);
    if (r.code !== 0) console.error(r.stderr);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("node iol1: booting from its nvram: typing the management address into its console");
    const ip = mgmtIp("iol1");
    const typed = inNode("iol1", "cat /tmp/console").split("\n");
    for (const l of [
      "enable",
      "interface Ethernet0/0",
      `ip address ${ip} 255.255.255.0`,
      `ip route vrf clab-mgmt 0.0.0.0 0.0.0.0 Ethernet0/0 172.30.${subnet.third}.1`,
      "wr",
    ])
      expect(typed).toContain(l);
  }, 60_000);

  test("lab down leaves nothing", () => {
    stop();
    expect(lab(["down", "-t", file, "--cleanup"]).code).toBe(0);
    expect(leftovers(t.name, { network: t.name })).toEqual(NOTHING_LEFT);
  });
});
