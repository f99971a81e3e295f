// One lab over two real Docker hosts: this machine and host 2 (scripts/host2.sh: its own dockerd and
// sshd in their own namespaces, reached only over SSH and a veth underlay). Nodes go to host 2 with
// the label lab.host: h2; lab-hosts.yml beside the topology says where h2 is. Links between the hosts
// become VXLAN tunnels.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { collectLines, LAB, labAsync, lab as runLab, sh, uniqueName, waitFor } from "../helpers/env.ts";
import { type Host2, startHost2 } from "../helpers/host2.ts";
import { errorLines, freeSubnet } from "../helpers/lab.ts";
import { type Sshd, startSshd } from "../helpers/sshd.ts";
import { buildStandin } from "../helpers/standin.ts";

let h2: Host2;
let bastion: Sshd;
const dir = mkdtempSync(join(tmpdir(), "lab-multihost-"));
const name = uniqueName("mh").replace(/-/g, "").slice(0, 14);
const subnet = freeSubnet();
const file = join(dir, "mh.clab.yml");
const lab = (args: string[], env: Record<string, string> = {}) => runLab(args, { env: { ...h2.env, ...env } });
const cname = (n: string) => `clab-${name}-${n}`;
/** A command in a node on either host. */
const inNode = (n: string, cmd: string) =>
  (["d", "e", "f", "g"].includes(n) ? h2.docker(`exec ${cname(n)} ${cmd}`) : sh(`docker exec ${cname(n)} ${cmd}`))
    .stdout;
const ping = (from: string, to: string) => inNode(from, `ping -c 1 -W 2 ${to}`);

// a, b, c here; d, e, f on h2. Cross-host: a–d, b–e (mtu 1400), c–f. Local: a–b, b–c here, e–f there.
const topology = (extra = "") => `name: ${name}
mgmt: { network: ${name}, ipv4-subnet: ${subnet.v4} }
topology:
  defaults: { image: lab-test/linux:1 }
  groups:
    far: { labels: { lab.host: h2 } }
  nodes:
    a: { exec: ["ip addr add 10.61.1.1/24 dev eth1", "ip addr add 10.61.4.1/24 dev eth2"] }
    b: { exec: ["ip addr add 10.61.2.1/24 dev eth1", "ip addr add 10.61.4.2/24 dev eth2", "ip addr add 10.61.5.1/24 dev eth3"] }
    c: { exec: ["ip addr add 10.61.3.1/24 dev eth1", "ip addr add 10.61.5.2/24 dev eth2"] }
    d: { group: far, exec: ["ip addr add 10.61.1.2/24 dev eth1"] }
    e: { group: far, exec: ["ip addr add 10.61.2.2/24 dev eth1", "ip addr add 10.61.6.1/24 dev eth2"] }
    f:
      group: far
      cmd: httpd -f -p 8080 -h /var/www
      publish: [http/8080]
      exec: ["ip addr add 10.61.3.2/24 dev eth1", "ip addr add 10.61.6.2/24 dev eth2"]
${extra}  links:
    - endpoints: ["a:eth1", "d:eth1"]
    - endpoints: ["b:eth1", "e:eth1"]
      mtu: 1400
    - endpoints: ["c:eth1", "f:eth1"]
    - endpoints: ["a:eth2", "b:eth2"]
    - endpoints: ["b:eth3", "c:eth2"]
    - endpoints: ["e:eth2", "f:eth2"]
`;

beforeAll(async () => {
  h2 = startHost2();
  bastion = await startSshd({
    knownHosts: true,
    config: ["GatewayPorts clientspecified", "AllowTcpForwarding remote"],
  });
  appendFileSync(join(h2.home, ".ssh/known_hosts"), readFileSync(join(bastion.clientHome, ".ssh/known_hosts")));
  writeFileSync(join(dir, "lab-hosts.yml"), `h2: { engine: ssh://root@${h2.peerAddr} }\n`);
  writeFileSync(file, topology());
});

afterAll(async () => {
  if (h2) {
    lab(["down", "--name", name, "--cleanup"]);
    h2.stop();
  }
  await bastion?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** What a lab left on a host: containers, networks, vxlan devices and netns handles. */
function leftOn(where: "here" | "h2") {
  const run = where === "here" ? sh : h2.inside;
  const docker = where === "here" ? (a: string) => sh(`docker ${a}`) : h2.docker;
  return {
    containers: docker(`ps -aq --filter label=containerlab=${name}`).stdout.trim(),
    networks: docker(`network ls -q --filter label=containerlab --filter name=^${name}$`).stdout.trim(),
    vxlan: run(`ip -d link show type vxlan | grep -c "vxlan id" || true`).stdout.trim(),
    netns: run(`ls /run/netns 2>/dev/null | grep -c -- "-${name}-" || true`).stdout.trim(),
  };
}
const clean = { containers: "", networks: "", vxlan: "0", netns: "0" };

describe("lab up over two hosts", () => {
  test("the plan places nodes and turns the cross-host links into tunnels", () => {
    const r = lab(["up", "-t", file, "--dry-run", "--format", "json"]);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.hosts.names).toEqual(["local", "h2"]);
    expect(
      plan.containers.filter((c: { host?: string }) => c.host === "h2").map((c: { node: string }) => c.node),
    ).toEqual(["d", "e", "f"]);
    const tunnels = plan.links.filter((l: { type: string }) => l.type === "vxlan");
    expect(tunnels).toHaveLength(6);
    // Both ends of a tunnel share a VNI and the lab's port; each points at the other host.
    const ad = tunnels.filter((l: { label: string }) => l.label.startsWith("a:eth1"));
    expect(ad.map((l: { vxlan: { remote: string } }) => l.vxlan.remote).sort()).toEqual(
      [h2.hostAddr, h2.peerAddr].sort(),
    );
    expect(new Set(ad.map((l: { vxlan: { vni: number } }) => l.vxlan.vni)).size).toBe(1);
    expect(plan.network.hosts.local.IPAM.Config[0].IPRange).not.toBe(plan.network.hosts.h2.IPAM.Config[0].IPRange);
  });

  test("deploys: both hosts in the inspect table", () => {
    const r = lab(["up", "-t", file]);
    expect(errorLines(r.stderr).filter((l) => l.includes("ERROR"))).toEqual([]);
    expect(r.code).toBe(0);
    const table = lab(["inspect", "-t", file]).stdout;
    expect(table).toMatch(new RegExp(`${cname("a")} .*│ local +│$`, "m"));
    expect(table).toMatch(new RegExp(`${cname("d")} .*│ h2 +│$`, "m"));
    const json = JSON.parse(lab(["inspect", "--all", "--format", "json"]).stdout)[name];
    expect(json.filter((c: { host?: string }) => c.host === "h2")).toHaveLength(3);
  });

  test("traffic crosses every link, local and tunnelled", () => {
    for (const [from, to] of [
      ["a", "10.61.1.2"],
      ["b", "10.61.2.2"],
      ["c", "10.61.3.2"],
      ["a", "10.61.4.2"],
      ["b", "10.61.5.2"],
      ["e", "10.61.6.2"],
    ])
      expect(ping(from as string, to as string)).toContain("1 packets received");
  });

  test("MTUs inside: the underlay's less 50 on tunnels, the link's own when it fits, 9500 locally", () => {
    expect(inNode("a", "ip link show eth1")).toContain("mtu 1450");
    expect(inNode("d", "ip link show eth1")).toContain("mtu 1450");
    expect(inNode("b", "ip link show eth1")).toContain("mtu 1400");
    expect(inNode("e", "ip link show eth1")).toContain("mtu 1400");
    expect(inNode("a", "ip link show eth2")).toContain("mtu 9500");
    expect(inNode("e", "ip link show eth2")).toContain("mtu 9500");
  });

  test("management addresses are unique across the hosts; the ssh config jumps through h2", () => {
    const json = JSON.parse(lab(["inspect", "--name", name, "--format", "json"]).stdout)[name] as {
      ipv4_address: string;
    }[];
    const addresses = json.map((c) => c.ipv4_address);
    expect(new Set(addresses).size).toBe(6);
    const ssh = sh(`cat /etc/ssh/ssh_config.d/clab-${name}.conf`).stdout;
    expect(ssh).toContain(`Host ${cname("d")}\n\tHostName 172.30.${subnet.third}.`);
    expect(ssh).toContain(`ProxyJump root@${h2.peerAddr}`);
  });

  test("lab exec runs on nodes of both hosts, by --name without the file", () => {
    // Containerlab's shape: results keyed by container name.
    const r = JSON.parse(lab(["exec", "--name", name, "--cmd", "hostname", "--format", "json"]).stdout) as Record<
      string,
      { stdout: string }[]
    >;
    expect(
      Object.entries(r)
        .map(([c, [x]]) => `${c}=${x?.stdout.trim()}`)
        .sort(),
    ).toEqual(["a", "b", "c", "d", "e", "f"].map((n) => `clab-${name}-${n}=${n}`));
  });

  test("lab shell on a node of h2: a terminal over that host's engine, the node's exit code", () => {
    const q = (x: string) => `'${x.replace(/'/g, "'\\''")}'`;
    const cmd = [...LAB, "shell", "--name", name, "e", "--cmd", "uname -n; exit 7"].map(q).join(" ");
    const r = sh(`script -qec ${q(cmd)} /dev/null`, { env: h2.env });
    expect(r.code).toBe(7);
    // script(1) may pass a NUL on into the session when its own stdin ends; the node's terminal
    // echoes it as "^@" (ECHOCTL), sometimes ahead of the output: that echo is not the node's name.
    expect(r.stdout.split(/\r?\n/).map((l) => l.replace(/\^[@A-Z[\\\]^_?]|\u0000/g, "").trim())).toContain("e");
  });

  test("lab capture on a node of h2: its host's tcpdump in the node's namespace, read back by tshark", async () => {
    const out = join(dir, "e-eth2.pcapng");
    const [bin, ...pre] = LAB;
    const proc = Bun.spawn(
      [bin as string, ...pre, "capture", "--name", name, "e:eth2", "-f", "icmp", "-c", "2", "-w", out],
      {
        stdout: "ignore",
        stderr: "pipe",
        env: { ...process.env, ...h2.env, NO_COLOR: "1" },
      },
    );
    const said = collectLines(proc.stderr as ReadableStream<Uint8Array>);
    await waitFor(() => said.some((l) => l.includes("capturing on")), 20_000, "capture listening on h2");
    expect(ping("f", "10.61.6.1")).toContain("1 packets received");
    expect(await proc.exited).toBe(0);
    const r = sh(`tshark -r ${out} -T fields -e frame.interface_name -e icmp.type`);
    expect(r.stdout.trim().split("\n")).toEqual(["e:eth2\t8", "e:eth2\t0"]);
  });

  test("stop and start a node on h2: its tunnel and local link come back", () => {
    expect(lab(["stop", "--name", name, "-n", "e"]).code).toBe(0);
    expect(h2.docker(`inspect -f '{{.State.Status}}' ${cname("e")}`).stdout.trim()).toBe("exited");
    expect(lab(["start", "--name", name, "-n", "e"]).code).toBe(0);
    expect(ping("b", "10.61.2.2")).toContain("1 packets received");
    expect(ping("f", "10.61.6.1")).toContain("1 packets received");
  });

  test("lab restart of a node on h2: the same container, its tunnel and local link back", () => {
    const before = h2.docker(`inspect -f '{{.Id}}' ${cname("e")}`).stdout.trim();
    expect(lab(["restart", "--name", name, "-n", "e"]).code).toBe(0);
    expect(h2.docker(`inspect -f '{{.Id}}' ${cname("e")}`).stdout.trim()).toBe(before);
    expect(ping("b", "10.61.2.2")).toContain("1 packets received");
    expect(ping("f", "10.61.6.1")).toContain("1 packets received");
  });

  test("lab events follows both hosts' engines: each line names its host", async () => {
    const [bin, ...pre] = LAB;
    const events = Bun.spawn([bin as string, ...pre, "events", "--name", name, "--format", "json", "-i"], {
      stdout: "pipe",
      stderr: "pipe",
      env: { ...process.env, ...h2.env },
    });
    const lines = collectLines(events.stdout);
    type Ev = { type: string; action: string; actor_name: string; attributes: Record<string, string> };
    const parsed = () => lines.map((l) => JSON.parse(l) as Ev);
    try {
      // --initial-state lists every node first: the stream is live on both hosts once all six are there.
      await waitFor(
        () =>
          new Set(
            parsed()
              .filter((e) => e.type === "container")
              .map((e) => e.actor_name),
          ).size === 6,
        20_000,
        "the snapshot of all six nodes",
      );
      expect(lab(["stop", "--name", name, "-n", "d"]).code).toBe(0);
      expect(lab(["start", "--name", name, "-n", "d"]).code).toBe(0);
      await waitFor(
        () => parsed().some((e) => e.actor_name === cname("d") && e.type === "container" && e.action === "start"),
        20_000,
        "d's start on h2",
      );
    } finally {
      events.kill("SIGINT");
      await events.exited;
    }
    const all = parsed();
    const hostOf = (n: string) => new Set(all.filter((e) => e.actor_name === cname(n)).map((e) => e.attributes.host));
    expect(hostOf("a")).toEqual(new Set(["local"]));
    expect(hostOf("d")).toEqual(new Set(["h2"]));
    expect(all.filter((e) => e.actor_name === cname("d") && e.type === "container").map((e) => e.action)).toEqual(
      expect.arrayContaining(["running", "die", "start"]),
    );
  });

  test("lab tools disable-tx-offload and veth create act on nodes of h2", () => {
    const pidOf = (n: string) => h2.docker(`inspect -f '{{.State.Pid}}' ${cname(n)}`).stdout.trim();
    const off = lab(["tools", "disable-tx-offload", "--name", name, "-c", "f", "-i", "eth2"]);
    expect(off.stderr).toContain(`TX checksum offload off on eth2 of ${cname("f")}`);
    expect(off.code).toBe(0);
    expect(h2.inside(`nsenter -t ${pidOf("f")} -n ethtool -k eth2`).stdout).toMatch(/^tx-checksumming: off/m);
    const veth = lab(["tools", "veth", "create", "--name", name, "-a", "d:eth7", "-b", "e:eth7"]);
    expect(veth.code).toBe(0);
    h2.docker(`exec ${cname("d")} ip addr add 10.61.8.1/24 dev eth7`);
    h2.docker(`exec ${cname("e")} ip addr add 10.61.8.2/24 dev eth7`);
    expect(ping("d", "10.61.8.2")).toContain("1 packets received");
    // Two nodes on different hosts: one line, nothing made.
    const across = lab(["tools", "veth", "create", "--name", name, "-a", "a:eth7", "-b", "d:eth8"]);
    expect(across.code).toBe(2);
    expect(errorLines(across.stderr)[0]).toContain("a veth joins two nodes on one host: a runs on local, d on h2");
    expect(inNode("a", "ip link show eth7")).toBe("");
  });

  test("lab share publishes a port of a node on h2 through the bastion", async () => {
    const env = { ...h2.env };
    const r = await labAsync(
      [
        "share",
        "-t",
        file,
        "--via",
        `ssh://${bastion.user}@127.0.0.1:${bastion.port}`,
        "--identity",
        join(bastion.clientHome, ".ssh/id_ed25519"),
        "--detach",
      ],
      { env },
    );
    expect(r.stderr).not.toContain("ERROR");
    expect(r.code).toBe(0);
    const status = JSON.parse((await labAsync(["share", "status", "-t", file, "--format", "json"], { env })).stdout);
    const port = status.sockets[0].status.edgePort as number;
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe("lab test node\n");
    expect((await labAsync(["share", "stop", "-t", file], { env })).code).toBe(0);
  });

  test("lab graph shows where each node runs", () => {
    const r = lab(["graph", "-t", file, "--format", "json", "--output", "-"]);
    const g = JSON.parse(r.stdout) as { deployed: boolean; nodes: { name: string; host?: string; state: string }[] };
    expect(g.deployed).toBe(true);
    expect(g.nodes.find((n) => n.name === "f")).toMatchObject({ host: "h2", state: "running" });
    expect(g.nodes.find((n) => n.name === "a")?.host).toBeUndefined();
  });

  test("apply: a new node on h2 with a tunnel to this host", () => {
    writeFileSync(
      file,
      topology(`    g: { group: far, exec: ["ip addr add 10.61.7.2/24 dev eth1"] }\n`).replace(
        "  links:\n",
        '  links:\n    - endpoints: ["c:eth3", "g:eth1"]\n',
      ),
    );
    const r = lab(["up", "-t", file]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("created g");
    sh(`docker exec ${cname("c")} ip addr add 10.61.7.1/24 dev eth3`);
    expect(ping("c", "10.61.7.2")).toContain("1 packets received");
    expect(lab(["up", "-t", file]).stderr).toContain("nothing to change");
  });

  test("lab down --name, from anywhere: nothing left on either host", () => {
    const r = runLab(["down", "--name", name, "--cleanup"], { env: h2.env, cwd: "/" });
    expect(r.code).toBe(0);
    expect(leftOn("here")).toEqual(clean);
    expect(leftOn("h2")).toEqual(clean);
    expect(sh(`ls ${h2.env.LAB_STATE_DIR}/labs`).stdout.trim()).toBe("");
  });
});

describe("lab save over two hosts", () => {
  // cEOS saves with `Cli -p 15 -c wr` (Containerlab's nodes/ceos SaveConfig); the stand-in's Cli logs
  // what it is sent, on each host.
  const image = `ceos:lab-standin-${name}`;
  const saveLab = `${name}s`;
  const saveFile = join(dir, "save.clab.yml");
  const CLI = '#!/bin/sh\necho "$*" >> /tmp/cli.log\necho ok\n';
  const INIT = "#!/bin/sh\ntrap 'exit 0' 37 TERM\nwhile :; do sleep 1; done\n";

  beforeAll(() => {
    buildStandin(dir, image, { init: INIT, Cli: CLI, bash: '#!/bin/sh\nexec /bin/sh "$@"\n' }, [
      "RUN rm -f /sbin/init && cp /stand/init /sbin/init && cp /stand/Cli /usr/bin/Cli && cp /stand/bash /bin/bash",
    ]);
    const loaded = sh(
      `docker save ${image} | bash ${join(import.meta.dir, "../../scripts/host2.sh")} docker ${h2.name} load -q`,
    );
    if (loaded.code !== 0) throw new Error(loaded.stderr);
    writeFileSync(
      saveFile,
      `name: ${saveLab}
mgmt: { network: ${saveLab}, ipv4-subnet: ${freeSubnet().v4} }
topology:
  kinds: { arista_ceos: { image: ${image} } }
  nodes:
    x: { kind: arista_ceos }
    y: { kind: arista_ceos, labels: { lab.host: h2 } }
  links:
    - endpoints: ["x:eth1", "y:eth1"]
`,
    );
  });

  afterAll(() => {
    lab(["down", "--name", saveLab, "--cleanup"]);
    sh(`docker rmi -f ${image}`);
  });

  test("each node saves through its own host's engine", () => {
    const up = lab(["up", "-t", saveFile, "--post-deploy-timeout", "10"]);
    expect(errorLines(up.stderr).filter((l) => l.includes("ERROR"))).toEqual([]);
    expect(up.code).toBe(0);
    const r = lab(["save", "--name", saveLab, "--format", "json"]);
    expect(r.code).toBe(0);
    const results = JSON.parse(r.stdout) as { node: string; status: string }[];
    expect(results.map((x) => `${x.node}=${x.status}`).sort()).toEqual(["x=saved", "y=saved"]);
    expect(sh(`docker exec clab-${saveLab}-x cat /tmp/cli.log`).stdout).toContain("-p 15 -c wr");
    expect(h2.docker(`exec clab-${saveLab}-y cat /tmp/cli.log`).stdout).toContain("-p 15 -c wr");
  }, 120_000);
});

describe("failures", () => {
  test("a node that cannot start on h2 rolls back what was made on both hosts", () => {
    writeFileSync(
      file,
      topology().replace(
        "    f:\n      group: far\n",
        "    f:\n      group: far\n      entrypoint: /no/such/program\n",
      ),
    );
    const r = lab(["up", "-t", file]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("rolling back");
    expect(leftOn("here")).toEqual(clean);
    expect(leftOn("h2")).toEqual(clean);
  });

  test("an image missing only on h2: one clear line, nothing created on either host", () => {
    sh("docker tag lab-test/linux:1 lab-test/only-here:1");
    try {
      writeFileSync(
        file,
        topology().replace(
          "    f:\n      group: far\n",
          "    f:\n      group: far\n      image: lab-test/only-here:1\n      image-pull-policy: Never\n",
        ),
      );
      const r = lab(["up", "-t", file]);
      expect(r.code).not.toBe(0);
      const errors = errorLines(r.stderr).filter((l) => l.includes("ERROR"));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain("host h2: image lab-test/only-here:1 is not in the engine");
      expect(leftOn("here")).toEqual(clean);
      expect(leftOn("h2")).toEqual(clean);
    } finally {
      sh("docker rmi lab-test/only-here:1");
    }
  });

  test("host 2 unreachable (its sshd stopped): one clear line, nothing created here", () => {
    writeFileSync(file, topology());
    h2.sshdStop();
    try {
      const r = lab(["up", "-t", file]);
      expect(r.code).toBe(7);
      const errors = errorLines(r.stderr).filter((l) => l.includes("ERROR"));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain(
        `host h2 (${join(dir, "lab-hosts.yml")}:1): cannot connect to root@${h2.peerAddr}:22`,
      );
      expect(leftOn("here")).toEqual(clean);
    } finally {
      h2.sshdStart();
    }
  });

  test("a label naming a host that is not defined: its file:line, nothing deployed", () => {
    writeFileSync(file, topology().replace("lab.host: h2", "lab.host: h9"));
    const r = lab(["up", "-t", file]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /mh\.clab\.yml:\d+:\d+: topology\.groups\.far\.labels\.lab\.host: node d is placed on host h9/,
    );
    expect(leftOn("here")).toEqual(clean);
  });
});

describe("engine transports", () => {
  test("tcp:// with TLS as docker does (DOCKER_TLS_VERIFY, DOCKER_CERT_PATH)", () => {
    const r = lab(["version", "--format", "json"], {
      DOCKER_HOST: `tcp://${h2.peerAddr}:2376`,
      DOCKER_TLS_VERIFY: "1",
      DOCKER_CERT_PATH: h2.tlsDir,
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).engine.host).toBe(`tcp://${h2.peerAddr}:2376`);
    const wrongCa = mkdtempSync(join(tmpdir(), "lab-tls-"));
    try {
      sh(`cp ${h2.tlsDir}/cert.pem ${h2.tlsDir}/key.pem ${wrongCa}/ && cp ${h2.tlsDir}/cert.pem ${wrongCa}/ca.pem`);
      const bad = lab(["version"], {
        DOCKER_HOST: `tcp://${h2.peerAddr}:2376`,
        DOCKER_TLS_VERIFY: "1",
        DOCKER_CERT_PATH: wrongCa,
      });
      expect(bad.code).toBe(4);
      expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    } finally {
      rmSync(wrongCa, { recursive: true, force: true });
    }
  });

  test("a host whose engine is tcp:// with TLS, its links made over ssh", () => {
    const small = join(dir, "tls", "small.clab.yml");
    sh(`mkdir -p ${join(dir, "tls")}`);
    writeFileSync(
      join(dir, "tls", "lab-hosts.yml"),
      `h2:\n  engine: tcp://${h2.peerAddr}:2376\n  ssh: ssh://root@${h2.peerAddr}\n  cert-path: ${h2.tlsDir}\n`,
    );
    const tlsLab = `${name}t`;
    writeFileSync(
      small,
      `name: ${tlsLab}
mgmt: { network: ${tlsLab}, ipv4-subnet: ${subnet.v4} }
topology:
  defaults: { image: lab-test/linux:1 }
  nodes:
    x: { exec: ["ip addr add 10.62.1.1/24 dev eth1"] }
    y: { labels: { lab.host: h2 }, exec: ["ip addr add 10.62.1.2/24 dev eth1"] }
  links:
    - endpoints: ["x:eth1", "y:eth1"]
`,
    );
    try {
      expect(lab(["up", "-t", small]).code).toBe(0);
      expect(sh(`docker exec clab-${tlsLab}-x ping -c 1 -W 2 10.62.1.2`).stdout).toContain("1 packets received");
      expect(lab(["inspect", "--name", tlsLab]).stdout).toMatch(new RegExp(`clab-${tlsLab}-y .*│ h2 +│$`, "m"));
    } finally {
      expect(lab(["down", "--name", tlsLab, "--cleanup"]).code).toBe(0);
    }
    expect(h2.docker(`ps -aq --filter label=containerlab=${tlsLab}`).stdout.trim()).toBe("");
  });
});
