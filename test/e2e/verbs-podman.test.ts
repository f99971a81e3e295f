// The verbs after lab up, on Podman (its Docker-compatible API): stop/start/restart with links
// kept, apply, events, graph, tools, save, and a bundle round trip. The same behaviour is pinned on
// Docker by up-lifecycle, lab-change, tools, graph, kinds-ceos and images-bundle.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { ENGINES } from "../helpers/engines.ts";
import { collectLines, LAB, lab as runLab, sh, waitFor } from "../helpers/env.ts";
import { errorLines, freeSubnet, labDir, leftovers, NOTHING_LEFT } from "../helpers/lab.ts";
import { buildStandin } from "../helpers/standin.ts";

const engine = ENGINES.podman;
const t = labDir("e2e-pverbs", engine);
const subnet = freeSubnet();
const image = `localhost/ceos:lab-standin-${t.name}`;
let file = "";
const lab = (args: string[]) => runLab(args, { env: engine.env });
const cname = (n: string) => `clab-${t.name}-${n}`;
const inNode = (n: string, cmd: string) => sh(`podman exec ${cname(n)} sh -c '${cmd}'`);
const pings = (n: string, address: string) =>
  inNode(n, `ping -c 1 -W 2 ${address}`).stdout.includes("1 packets received");
const id = (n: string) => sh(`podman inspect -f '{{.Id}}' ${cname(n)}`).stdout.trim();

// cEOS saves with `Cli -p 15 -c wr` (Containerlab's nodes/ceos SaveConfig); the stand-in logs it.
const CLI = '#!/bin/sh\necho "$*" >> /tmp/cli.log\necho ok\n';
const INIT = "#!/bin/sh\ntrap 'exit 0' 37 TERM\nwhile :; do sleep 1; done\n";

const topology = (extra = "", links = "") => `name: ${t.name}
mgmt: { network: ${t.name}, ipv4-subnet: ${subnet.v4} }
topology:
  defaults: { image: lab-test/linux:1 }
  nodes:
    r1: { exec: ["ip addr add 10.71.12.1/24 dev eth1"] }
    r2: { exec: ["ip addr add 10.71.12.2/24 dev eth1", "ip addr add 10.71.23.2/24 dev eth2"] }
    r3: { exec: ["ip addr add 10.71.23.3/24 dev eth1"] }
    sw: { kind: arista_ceos, image: ${image} }
${extra}  links:
    - endpoints: ["r1:eth1", "r2:eth1"]
    - endpoints: ["r2:eth2", "r3:eth1"]
${links}`;

beforeAll(() => {
  buildStandin(t.dir, image, { init: INIT, Cli: CLI, bash: '#!/bin/sh\nexec /bin/sh "$@"\n' }, [
    "RUN rm -f /sbin/init && cp /stand/init /sbin/init && cp /stand/Cli /usr/bin/Cli && cp /stand/bash /bin/bash",
  ]);
  const copied = sh(`docker save ${image} | podman load -q`);
  if (copied.code !== 0) throw new Error(copied.stderr);
  file = t.write("verbs.clab.yml", topology());
  const up = lab(["up", "-t", file, "--post-deploy-timeout", "10"]);
  if (up.code !== 0) throw new Error(up.stderr);
});

afterAll(() => {
  t.cleanup();
  sh(`podman rmi -f ${image}; docker rmi -f ${image}`);
});

describe("lifecycle on Podman", () => {
  test("stop and start r2: the same container, both links back", () => {
    const before = id("r2");
    expect(lab(["stop", "-t", file, "-n", "r2"]).code).toBe(0);
    expect(sh(`podman inspect -f '{{.State.Status}}' ${cname("r2")}`).stdout.trim()).toBe("exited");
    expect(lab(["start", "-t", file, "-n", "r2"]).code).toBe(0);
    expect(id("r2")).toBe(before);
    expect(pings("r1", "10.71.12.2")).toBe(true);
    expect(pings("r3", "10.71.23.2")).toBe(true);
  });

  test("lab events during a restart of r1: its container dies and starts, its interfaces come back", async () => {
    const [bin, ...pre] = LAB;
    const events = Bun.spawn([bin as string, ...pre, "events", "-t", file, "--format", "json", "-i"], {
      stdout: "pipe",
      stderr: "pipe",
      env: { ...process.env, ...engine.env },
    });
    const lines = collectLines(events.stdout);
    type Ev = { type: string; action: string; actor_name: string; attributes: Record<string, string> };
    const of = () => lines.map((l) => JSON.parse(l) as Ev).filter((e) => e.actor_name === cname("r1"));
    try {
      // --initial-state: r1's snapshot shows the stream is live.
      await waitFor(() => of().some((e) => e.type === "container"), 20_000, "r1's snapshot");
      expect(lab(["restart", "-t", file, "-n", "r1"]).code).toBe(0);
      // After the start, a fresh eth1 (not the snapshot's) is up again.
      const started = () => of().findIndex((e) => e.type === "container" && e.action === "start");
      await waitFor(
        () =>
          started() >= 0 &&
          of()
            .slice(started())
            .some((e) => e.type === "interface" && e.attributes.ifname === "eth1" && e.attributes.state === "up"),
        20_000,
        "r1's start, then its eth1 up",
      );
    } finally {
      events.kill("SIGINT");
      await events.exited;
    }
    const actions = of()
      .filter((e) => e.type === "container")
      .map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["running", "die", "start"]));
    expect(pings("r1", "10.71.12.2")).toBe(true);
  });

  test("graph --format json: every node running and every link", () => {
    const r = lab(["graph", "-t", file, "--format", "json", "--output", "-"]);
    expect(r.code).toBe(0);
    const g = JSON.parse(r.stdout) as { deployed: boolean; nodes: { name: string; state: string }[]; links: unknown[] };
    expect(g.deployed).toBe(true);
    expect(g.nodes.map((n) => `${n.name}=${n.state}`).sort()).toEqual([
      "r1=running",
      "r2=running",
      "r3=running",
      "sw=running",
    ]);
    expect(g.links).toHaveLength(2);
  });

  test("tools: veth create between two nodes carries traffic; disable-tx-offload turns it off", () => {
    expect(lab(["tools", "veth", "create", "-t", file, "-a", "r1:eth5", "-b", "r3:eth5"]).code).toBe(0);
    inNode("r1", "ip addr add 10.71.13.1/24 dev eth5");
    inNode("r3", "ip addr add 10.71.13.3/24 dev eth5");
    expect(pings("r1", "10.71.13.3")).toBe(true);
    expect(lab(["tools", "disable-tx-offload", "-t", file, "-c", "r1", "-i", "eth1"]).code).toBe(0);
    const pid = sh(`podman inspect -f '{{.State.Pid}}' ${cname("r1")}`).stdout.trim();
    expect(sh(`nsenter -t ${pid} -n ethtool -k eth1`).stdout).toMatch(/^tx-checksumming: off/m);
  });

  test("lab save runs the kind's save command (cEOS: Cli -p 15 -c wr)", () => {
    const r = lab(["save", "-t", file, "--format", "json"]);
    expect(r.code).toBe(0);
    const results = JSON.parse(r.stdout) as { node: string; status: string }[];
    expect(results.find((x) => x.node === "sw")?.status).toBe("saved");
    expect(results.find((x) => x.node === "r1")?.status).toBe("skipped");
    expect(inNode("sw", "cat /tmp/cli.log").stdout).toContain("-p 15 -c wr");
  });

  test("apply: r4 added and linked, r3 untouched", () => {
    const r3 = id("r3");
    file = t.write(
      "verbs.clab.yml",
      topology(
        '    r4: { exec: ["ip addr add 10.71.34.4/24 dev eth1"] }\n',
        '    - endpoints: ["r3:eth2", "r4:eth1"]\n',
      ),
    );
    const r = lab(["up", "-t", file]);
    expect(errorLines(r.stderr).filter((l) => l.includes("ERROR"))).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("created r4");
    expect(id("r3")).toBe(r3);
    inNode("r3", "ip addr add 10.71.34.3/24 dev eth2");
    expect(pings("r3", "10.71.34.4")).toBe(true);
    expect(lab(["up", "-t", file]).stderr).toContain("nothing to change");
  });
});

describe("a bundle round trip on Podman", () => {
  const bundle = join(t.dir, "bundle.tar");
  const out = join(t.dir, "unpacked");

  test("lab images save from Podman's store, lab images load back into it", () => {
    const saved = lab(["images", "save", "-t", file, "-o", bundle, "--format", "json"]);
    expect(saved.stderr).not.toContain("ERROR");
    expect(saved.code).toBe(0);
    const refs = JSON.parse(saved.stdout).images.map((i: { ref: string }) => i.ref);
    expect(refs).toEqual(expect.arrayContaining(["lab-test/linux:1", image]));
    const before = sh(`podman image inspect -f '{{.Id}}' ${image}`).stdout.trim();
    expect(lab(["down", "-t", file]).code).toBe(0);
    sh(`podman rmi -f ${image}`);
    const loaded = lab(["images", "load", "-i", bundle, "-C", out, "--format", "json"]);
    expect(loaded.stderr).not.toContain("ERROR");
    expect(loaded.code).toBe(0);
    expect(sh(`podman image inspect -f '{{.Id}}' ${image}`).stdout.trim()).toBe(before);
    expect(sh(`ls ${out}`).stdout).toContain("verbs.clab.yml");
  });

  test("lab down leaves nothing on Podman", () => {
    lab(["down", "--name", t.name, "--cleanup"]);
    expect(leftovers(t.name, { network: t.name }, engine)).toEqual(NOTHING_LEFT);
  });
});
