// --node-filter: re-create one node of a running lab with its links, remove one node, bring it back.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { lab, sh } from "../helpers/env.ts";
import { freeSubnet, labDir, leftovers, NOTHING_LEFT } from "../helpers/lab.ts";

const t = labDir("e2e-partial");
const subnet = freeSubnet();
let file = "";
const id = (node: string) => sh(`docker inspect -f '{{.Id}}' clab-${t.name}-${node}`).stdout.trim();
const inNode = (node: string, cmd: string) => sh(`docker exec clab-${t.name}-${node} sh -c '${cmd}'`);

beforeAll(() => {
  file = t.write(
    "p.clab.yml",
    `name: ${t.name}
mgmt: { network: ${t.name}, ipv4-subnet: ${subnet.v4} }
topology:
  defaults: { image: lab-test/linux:1 }
  nodes:
    a: { exec: ["ip addr add 10.98.1.1/30 dev eth1"] }
    b: { exec: ["ip addr add 10.98.1.2/30 dev eth1", "ip addr add 10.98.2.1/30 dev eth2"] }
    c: { exec: ["ip addr add 10.98.2.2/30 dev eth1"] }
  links:
    - endpoints: ["a:eth1", "b:eth1"]
    - endpoints: ["b:eth2", "c:eth1"]
`,
  );
  const up = lab(["up", "-t", file]);
  if (up.code !== 0) throw new Error(up.stderr);
});

afterAll(() => t.cleanup());

describe("lab up / down --node-filter", () => {
  test("--reconfigure re-creates one node and its links; the others keep running", () => {
    const before = { a: id("a"), b: id("b"), c: id("c") };
    const r = lab(["up", "-t", file, "--node-filter", "b", "--reconfigure"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`lab ${t.name}: 1 of its nodes deployed, 2 links`);
    expect(id("b")).not.toBe(before.b);
    expect([id("a"), id("c")]).toEqual([before.a, before.c]);
    // The peers' ends are new interfaces: their addresses went with the old ones (as in Containerlab).
    inNode("a", "ip addr add 10.98.1.1/30 dev eth1");
    inNode("c", "ip addr add 10.98.2.2/30 dev eth1");
    expect(inNode("b", "ping -c 1 -W 2 10.98.1.1").stdout).toContain("1 packets received");
    expect(inNode("b", "ping -c 1 -W 2 10.98.2.2").stdout).toContain("1 packets received");
  });

  test("a running node is not deployed twice without --reconfigure", () => {
    const r = lab(["up", "-t", file, "--node-filter", "a"]);
    expect(r.code).toBe(6);
    expect(r.stderr).toContain(`clab-${t.name}-a is already running`);
  });

  test("down removes just that node; up brings it back linked to the running ones", () => {
    const down = lab(["down", "-t", file, "--node-filter", "c"]);
    expect(down.code).toBe(0);
    expect(sh(`docker ps -q --filter name=^clab-${t.name}-c$`).stdout.trim()).toBe("");
    expect(id("a")).not.toBe("");
    expect(sh(`grep -c 'clab-${t.name}-' /etc/hosts`).stdout.trim()).toBe("2");
    expect(inNode("b", "ip link show eth2").code).not.toBe(0);

    const up = lab(["up", "-t", file, "--node-filter", "c"]);
    expect(up.code).toBe(0);
    expect(inNode("b", "ip link show eth2").stdout).toMatch(/<[^>]*\bUP\b/);
    inNode("b", "ip addr add 10.98.2.1/30 dev eth2");
    expect(inNode("c", "ping -c 1 -W 2 10.98.2.1").stdout).toContain("1 packets received");
    expect(sh(`grep -c 'clab-${t.name}-' /etc/hosts`).stdout.trim()).toBe("3");
  });

  test("--node-filter with --all or --cleanup is refused in one line", () => {
    const r = lab(["down", "-t", file, "--node-filter", "c", "--cleanup"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--node-filter removes some nodes of one lab");
    expect(id("c")).not.toBe("");
  });

  test("an unknown node is one clear line, and the whole lab still comes down", () => {
    const r = lab(["up", "-t", file, "--node-filter", "d"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--node-filter names no node of lab ${t.name}: d`);
    expect(lab(["down", "-t", file]).code).toBe(0);
    expect(leftovers(t.name, { network: t.name })).toEqual(NOTHING_LEFT);
  });
});
