// A running lab you can change (issue #11): stop/start/restart a node with its links, lab up as a
// declarative apply with a diff, lab events, and the everyday verbs around them.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { collectLines, lab, labStream, sh, waitFor } from "../helpers/env.ts";
import { errorLines, freeSubnet, labDir, leftovers, removeKeptNetwork } from "../helpers/lab.ts";

const t = labDir("e2e-change");
const subnet = freeSubnet();
const bridge = `brc${Date.now().toString(36).slice(-6)}`;
let file = "";
let v1 = "";
let v2 = "";

// r1–r2–r3–r4 in a line plus r2–r4, addresses on every link; v2 adds r5 (linked to r4), changes
// r1's env, removes r3, and remaps a bridge port.
const topology = `name: ${t.name}
mgmt: { network: ${t.name}, ipv4-subnet: ${subnet.v4} }
topology:
  defaults: { image: lab-test/linux:1 }
  nodes:
    r1: { env: { MARK: "{{ .mark }}" }{{ if .broken }}, cmd: /nope{{ end }} }
    r2: {}
{{- if not .drop }}
    r3: {}
{{- end }}
    r4: {}
{{- if .add }}
    r5: {}
{{- end }}
    ${bridge}: { kind: bridge }
  links:
    - type: veth
      mtu: 1400
      endpoints:
        - { node: r1, interface: eth1, ipv4: 10.11.12.1/24 }
        - { node: r2, interface: eth1, ipv4: 10.11.12.2/24, mac: "02:00:00:00:12:02" }
{{- if not .drop }}
    - endpoints: ["r2:eth2", "r3:eth1"]
      ipv4: [10.11.23.2/24, 10.11.23.3/24]
    - endpoints: ["r3:eth2", "r4:eth1"]
      ipv4: [10.11.34.3/24, 10.11.34.4/24]
    # r1 is re-created and r3 removed by the same apply: r1's parked end dies with r3.
    - endpoints: ["r1:eth2", "r3:eth3"]
{{- end }}
    - endpoints: ["r2:eth3", "r4:eth3"]
      ipv4: [10.11.24.2/24, 10.11.24.4/24]
    - endpoints: ["r4:eth9", "${bridge}:{{ .port }}"]
{{- if .add }}
    - endpoints: ["r4:eth4", "r5:eth1"]
      ipv4: [10.11.45.4/24, 10.11.45.5/24]
{{- end }}
`;

const cname = (node: string) => `clab-${t.name}-${node}`;
const id = (node: string) => sh(`docker inspect -f '{{.Id}}' ${cname(node)} 2>/dev/null`).stdout.trim();
const inNode = (node: string, cmd: string) => sh(`docker exec ${cname(node)} sh -c '${cmd}'`);
const ifindex = (node: string, iface: string) => inNode(node, `cat /sys/class/net/${iface}/ifindex`).stdout.trim();
const pings = (node: string, address: string) =>
  inNode(node, `ping -c 1 -W 2 ${address}`).stdout.includes("1 packets received");
const state = (node: string) => sh(`docker inspect -f '{{.State.Status}}' ${cname(node)}`).stdout.trim();

beforeAll(() => {
  sh(`ip link add ${bridge} type bridge && ip link set ${bridge} up`);
  file = t.write("change.clab.yml", topology);
  v1 = t.write("v1.yml", `mark: one\ndrop: false\nadd: false\nport: ${bridge}p1\n`);
  v2 = t.write("v2.yml", `mark: two\ndrop: true\nadd: true\nport: ${bridge}p2\n`);
  const up = lab(["up", "-t", file, "--vars", v1]);
  if (up.code !== 0) throw new Error(up.stderr);
});

afterAll(() => {
  t.cleanup();
  removeKeptNetwork(t.name);
  sh(`ip link del ${bridge} 2>/dev/null`);
});

describe("lab stop / start / restart", () => {
  test("stop parks r2's links: r2 exited, the peers' ends keep their ifindex; start brings them back", () => {
    const before = { id: id("r2"), r1: ifindex("r1", "eth1"), r3: ifindex("r3", "eth1"), r4: ifindex("r4", "eth3") };
    const stop = lab(["stop", "-t", file, "--vars", v1, "-n", "r2"]);
    expect(stop.code).toBe(0);
    expect(stop.stderr).toContain("node r2 stopped (3 links parked)");
    expect(state("r2")).toBe("exited");
    const inspect = JSON.parse(lab(["inspect", "--name", t.name, "--format", "json"]).stdout);
    expect(inspect[t.name].find((c: { node: string }) => c.node === "r2").state).toBe("exited");
    expect([ifindex("r1", "eth1"), ifindex("r3", "eth1"), ifindex("r4", "eth3")]).toEqual([
      before.r1,
      before.r3,
      before.r4,
    ]);

    const start = lab(["start", "--name", t.name, "--node", "r2"]);
    expect(start.code).toBe(0);
    expect(id("r2")).toBe(before.id);
    expect([ifindex("r1", "eth1"), ifindex("r3", "eth1"), ifindex("r4", "eth3")]).toEqual([
      before.r1,
      before.r3,
      before.r4,
    ]);
    expect(pings("r2", "10.11.12.1")).toBe(true);
    expect(pings("r2", "10.11.23.3")).toBe(true);
    expect(pings("r2", "10.11.24.4")).toBe(true);
    expect(inNode("r2", "cat /sys/class/net/eth1/address /sys/class/net/eth1/mtu").stdout.split("\n")).toEqual([
      "02:00:00:00:12:02",
      "1400",
      "",
    ]);
  });

  test("restart r3: same container, links back, pings over both", () => {
    const before = id("r3");
    const r = lab(["restart", "--name", t.name, "-n", "r3"]);
    expect(r.code).toBe(0);
    expect(id("r3")).toBe(before);
    expect(pings("r3", "10.11.23.2")).toBe(true);
    expect(pings("r3", "10.11.34.4")).toBe(true);
  });

  test("lab events --format json during a restart of r1: its interfaces go down, it dies, starts, they come up, in order", async () => {
    const events = labStream(["events", "--name", t.name, "--format", "json"]);
    const r1Events = () =>
      events.stdout
        .map((l) => JSON.parse(l))
        .filter((e) => e.actor_name === cname("r1"))
        .map((e) =>
          e.type === "container" ? `container ${e.action}` : `${e.attributes.ifname} ${e.action} ${e.attributes.state}`,
        )
        .filter((s) => s.startsWith("container") || s.startsWith("eth1 "));
    try {
      await waitFor(
        () => events.stderr.some((l) => l.includes("following lab")),
        20_000,
        "lab events to follow the lab",
      );
      expect(lab(["restart", "--name", t.name, "-n", "r1"]).code).toBe(0);
      await waitFor(() => pings("r1", "10.11.12.2"), 10_000, "r1 to reach r2 again");
      await waitFor(
        () =>
          r1Events().some(
            (s, i, all) => i > all.indexOf("container start") && s.startsWith("eth1 ") && s.endsWith(" up"),
          ),
        20_000,
        "r1's eth1 up after its start",
      );
    } finally {
      events.proc.kill("SIGINT");
      await events.proc.exited;
    }
    const lines = events.stdout;
    const seen = r1Events();
    for (const e of lines.map((l) => JSON.parse(l))) {
      expect(e).toHaveProperty("timestamp");
      expect(e.actor_id).toHaveLength(12);
    }
    const order = [
      "eth1 update down",
      "eth1 delete",
      "container die",
      "container stop",
      "container start",
      "eth1 create",
    ];
    let at = -1;
    for (const step of order) {
      const next = seen.findIndex((s, i) => i > at && s.startsWith(step));
      expect({ step, seen, found: next > at }).toMatchObject({ step, found: true });
      at = next;
    }
    expect(seen.slice(at).some((s) => s === "eth1 update up" || s === "eth1 create up")).toBe(true);
  });
});

describe("every kind of link comes back", () => {
  test("host, mgmt-net, macvlan and vxlan links survive lab restart with their MACs; the host ends stay", () => {
    const other = labDir("e2e-change-kinds");
    const s = other.name.slice(-5);
    const [hostIf, mgmtIf, parent] = [`kh${s}`, `km${s}`, `kp${s}`];
    sh(`ip link add ${parent} type veth peer name ${parent}x && ip link set ${parent} up`);
    try {
      const f = other.write(
        "kinds.clab.yml",
        `name: ${other.name}
mgmt: { network: ${other.name}, ipv4-subnet: ${freeSubnet().v4} }
topology:
  defaults: { image: lab-test/linux:1 }
  nodes: { a: {} }
  links:
    - endpoints: ["a:eth1", "host:${hostIf}"]
    - { type: mgmt-net, host-interface: ${mgmtIf}, endpoint: { node: a, interface: eth2 } }
    - { type: macvlan, host-interface: ${parent}, endpoint: { node: a, interface: eth3 } }
    # A tunnel to loopback: its device is what is checked, no packet is sent.
    - { type: vxlan, remote: 127.0.0.1, vni: 4242, dst-port: ${20000 + Math.floor(Math.random() * 20000)}, endpoint: { node: a, interface: eth4 } }
`,
      );
      expect(lab(["up", "-t", f]).code).toBe(0);
      const node = `clab-${other.name}-a`;
      const macs = () =>
        sh(`docker exec ${node} sh -c 'for i in eth1 eth2 eth3 eth4; do cat /sys/class/net/$i/address; done'`).stdout;
      const hostIndex = () => sh(`cat /sys/class/net/${hostIf}/ifindex /sys/class/net/${mgmtIf}/ifindex`).stdout;
      const before = { macs: macs(), host: hostIndex() };
      expect(before.macs.trim().split("\n")).toHaveLength(4);
      const r = lab(["restart", "-t", f, "-n", "a"]);
      expect(r.stderr).toContain("node a restarted (4 links back in place)");
      expect({ macs: macs(), host: hostIndex() }).toEqual(before);
      expect(sh(`ip link show ${mgmtIf}`).stdout).toContain("master br-");
      expect(sh(`ip -n ${node} -d link show eth4`).stdout).toContain("vxlan id 4242");
      expect(sh(`ip -n ${node} -d link show eth3`).stdout).toContain("macvlan");
    } finally {
      other.cleanup();
      sh(`ip link del ${parent}`);
    }
  });
});

describe("lab up on a running lab applies the difference", () => {
  test("--dry-run prints exactly the changes, touching nothing", () => {
    const ids = { r1: id("r1"), r3: id("r3") };
    const r = lab(["up", "-t", file, "--vars", v2, "--dry-run", "--format", "json"]);
    expect(r.code).toBe(0);
    const diff = JSON.parse(r.stdout);
    expect(diff).toMatchObject({
      "dry-run": true,
      "added-nodes": ["r5"],
      "deleted-nodes": ["r3"],
      "recreated-nodes": ["r1"],
      // Containerlab's applyLinkName: the ends sorted, joined by " -- ".
      "added-links": [[`r4:eth9`, `${bridge}:${bridge}p2`].sort().join(" -- "), "r4:eth4 -- r5:eth1"],
      "node-change-reasons": { r1: "config drift: Env" },
    });
    expect(diff["deleted-links"].sort()).toEqual(
      ["r2:eth2 ↔ r3:eth1", "r3:eth2 ↔ r4:eth1", "r1:eth2 ↔ r3:eth3", `r4:eth9 ↔ ${bridge}:${bridge}p1`].sort(),
    );
    const table = lab(["up", "-t", file, "--vars", v2, "--dry-run"]);
    expect(table.stderr).toContain("Apply plan");
    expect(table.stdout).toMatch(/│ recreated nodes +│ r1 \(config drift: Env\) +│/);
    expect({ r1: id("r1"), r3: id("r3") }).toEqual(ids);
  });

  test("apply: r5 added and linked, r1 re-created with its env, r3 gone, r2/r4 untouched, r2–r4 pings lose nothing", async () => {
    const before = { r1: id("r1"), r2: id("r2"), r4: id("r4") };
    // 120 pings 50 ms apart span the whole apply; every one must come back.
    const ping = Bun.spawn(
      ["docker", "exec", cname("r2"), "ping", "-i", "0.05", "-c", "120", "-W", "1", "10.11.24.4"],
      {
        stdout: "pipe",
      },
    );
    const replies = collectLines(ping.stdout);
    await waitFor(() => replies.some((l) => l.includes("seq=")), 10_000, "the first ping reply");
    const r = lab(["up", "-t", file, "--vars", v2]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("applied");
    await ping.exited;
    const summary = replies.join("\n");
    expect(summary).toContain("120 packets transmitted, 120 packets received");

    expect(id("r2")).toBe(before.r2);
    expect(id("r4")).toBe(before.r4);
    expect(id("r1")).not.toBe(before.r1);
    expect(inNode("r1", "echo $MARK").stdout.trim()).toBe("two");
    expect(id("r3")).toBe("");
    expect(state("r5")).toBe("running");
    expect(pings("r5", "10.11.45.4")).toBe(true);
    // r1's link was parked and put back in its new container.
    expect(pings("r1", "10.11.12.2")).toBe(true);
    // r3's links went with it; the bridge port was remapped under the name written.
    expect(inNode("r2", "ls /sys/class/net").stdout).not.toContain("eth2");
    expect(inNode("r4", "ls /sys/class/net").stdout).not.toContain("eth1");
    expect(inNode("r1", "ls /sys/class/net").stdout).not.toContain("eth2");
    expect(sh(`ip link show ${bridge}p2`).stdout).toContain(`master ${bridge}`);
    expect(sh(`ip link show ${bridge}p1`).code).not.toBe(0);
  });

  test("a second lab up changes nothing", () => {
    const ids = ["r1", "r2", "r4", "r5"].map(id);
    const r = lab(["up", "-t", file, "--vars", v2]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("nothing to change");
    expect(["r1", "r2", "r4", "r5"].map(id)).toEqual(ids);
  });
});

describe("an apply that stops midway", () => {
  test("says which steps were done; the next lab up converges, peers untouched", () => {
    const r2 = { id: id("r2"), eth1: ifindex("r2", "eth1") };
    // r1's new container cannot start (no /nope): the apply stops after r1 was removed.
    const broken = t.write("v3.yml", `mark: two\ndrop: true\nadd: true\nport: ${bridge}p2\nbroken: true\n`);
    const bad = lab(["up", "-t", file, "--vars", broken]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('apply stopped at "re-created r1"');
    expect(bad.stderr).toContain("done before it: removed r1 for re-creation (its links parked)");
    expect(bad.stderr).toContain("Run lab up again");
    expect(id("r1")).toBe("");
    const good = lab(["up", "-t", file, "--vars", v2]);
    expect(good.code).toBe(0);
    expect(pings("r1", "10.11.12.2")).toBe(true);
    expect({ id: id("r2"), eth1: ifindex("r2", "eth1") }).toEqual(r2);
    expect(lab(["up", "-t", file, "--vars", v2]).stderr).toContain("nothing to change");
  });
});

describe("bad input gets one line", () => {
  test("stop of a node not in the lab", () => {
    const r = lab(["stop", "--name", t.name, "-n", "r9"]);
    expect(r.code).toBe(2);
    expect(errorLines(r.stderr)).toEqual([expect.stringContaining(`node r9 is not in lab ${t.name}`)]);
  });

  test("apply of a topology that renames the running lab", () => {
    const renamed = t.write("change.clab.yml", topology.replace(`name: ${t.name}`, `name: ${t.name}x`));
    const r = lab(["up", "-t", renamed, "--vars", v2]);
    t.write("change.clab.yml", topology);
    expect(r.code).toBe(6);
    expect(errorLines(r.stderr)).toEqual([
      expect.stringContaining(`now names its lab ${t.name}x, but it runs as lab ${t.name}`),
    ]);
    expect(sh(`docker ps -aq --filter label=containerlab=${t.name}x`).stdout.trim()).toBe("");
  });

  test("apply while a node is stopped", () => {
    expect(lab(["stop", "--name", t.name, "-n", "r5"]).code).toBe(0);
    const r = lab(["up", "-t", file, "--vars", v2]);
    expect(r.code).toBe(6);
    expect(errorLines(r.stderr)).toEqual([expect.stringContaining("while r5 is stopped")]);
    expect(lab(["start", "--name", t.name, "-n", "r5"]).code).toBe(0);
  });
});

describe("the everyday verbs", () => {
  test("inspect: interfaces -n, --wide, csv, --details", () => {
    const ifs = JSON.parse(lab(["inspect", "interfaces", "--name", t.name, "-n", "r2", "--format", "json"]).stdout);
    expect(ifs.map((n: { node: string }) => n.node)).toEqual(["r2"]);
    expect(ifs[0].interfaces.map((i: { name: string }) => i.name).sort()).toEqual(["eth0", "eth1", "eth3"]);
    // Containerlab's --wide puts Owner first and every row on one line (cmd/inspect.go).
    const wide = lab(["inspect", "--name", t.name, "--wide"]).stdout.split("\n");
    expect(wide[1]).toMatch(/^│\s+Owner\s+│\s+Name\s+│\s+Kind\/Image\s+│\s+State\s+│\s+IPv4\/6 Address\s+│/);
    expect(wide.filter((l) => l.includes(`clab-${t.name}-`))).toHaveLength(4);
    const csv = lab(["inspect", "--name", t.name, "--format", "csv"]).stdout.trim().split("\n");
    expect(csv[0]).toBe(
      "lab_name,labPath,absLabPath,name,container_id,image,kind,state,status,ipv4_address,ipv6_address,owner",
    );
    expect(csv).toHaveLength(5);
    const details = JSON.parse(lab(["inspect", "--name", t.name, "--details"]).stdout);
    // Containerlab's GenericContainer, grouped by lab.
    expect(details[t.name][0].Labels.containerlab).toBe(t.name);
    expect(details[t.name][0].Names).toEqual([`clab-${t.name}-r1`]);
  });

  test("lab events --initial-state --interface-stats: snapshot first, then counters", async () => {
    const events = labStream(["events", "--name", t.name, "-i", "--interface-stats", "--interval", "300ms"]);
    try {
      await waitFor(
        () => events.stdout.some((l) => /interface stats \S+ \(.*rx_bps=/.test(l)),
        20_000,
        "a counters line",
      );
    } finally {
      events.proc.kill("SIGINT");
      await events.proc.exited;
    }
    const text = events.stdout.join("\n");
    expect(text).toContain("container running");
    expect(text).toContain("origin=snapshot");
    expect(text).toContain("interface snapshot");
    expect(text).toMatch(/interface stats \S+ \(.*rx_bps=/);
  });

  test("redeploy with a node stopped re-creates everything; down --graceful --keep-mgmt-net keeps the network", () => {
    const before = id("r2");
    expect(lab(["stop", "--name", t.name, "-n", "r2"]).code).toBe(0);
    expect(sh(`ip netns list | grep -c lab-park-${cname("r2")} || true`).stdout.trim()).toBe("1");
    const re = lab(["redeploy", "-t", file, "--vars", v2]);
    expect(re.code).toBe(0);
    expect(id("r2")).not.toBe(before);
    expect(state("r2")).toBe("running");
    expect(sh(`ip netns list | grep -c lab-park-${cname("r2")} || true`).stdout.trim()).toBe("0");
    // The host bridge's forwarding is allowed while the lab runs (Containerlab's bridge PostDeploy:
    // its nftables client, chosen where iptables is nf_tables-based, adds to FORWARD; else DOCKER-USER)…
    const chain = sh("iptables -V").stdout.includes("nf_tables") ? "FORWARD" : "DOCKER-USER";
    const bridgeRule = () => sh(`iptables -w -S ${chain} | grep -c -- '-i ${bridge} ' || true`).stdout.trim();
    expect(bridgeRule()).toBe("1");
    const down = lab(["down", "-t", file, "--vars", v2, "--graceful", "--timeout", "2", "--keep-mgmt-net"]);
    expect(down.code).toBe(0);
    // …and goes with the lab.
    expect(bridgeRule()).toBe("0");
    expect(leftovers(t.name, { network: t.name })).toMatchObject({ containers: "", hosts: "0", netns: "0" });
    expect(sh(`docker network ls -q --filter name=^${t.name}$`).stdout.trim()).not.toBe("");
    expect(sh(`ls /run/lab/parked 2>/dev/null | grep -c -- ${t.name} || true`).stdout.trim()).toBe("0");
  });
});
