import { describe, expect, test } from "bun:test";
import type { LinkBatches, LinkContext } from "./links.ts";
import { StagedLinks } from "./links-staged.ts";
import type { LinkStep } from "./plan.ts";

const end = (node: string, iface: string) => ({
  where: "container" as const,
  node,
  container: `clab-s-${node}`,
  iface,
  mac: `aa:c1:ab:00:00:0${iface.slice(-1)}`,
});
const veth: LinkStep = { type: "veth", a: end("a", "eth1"), b: end("b", "eth1"), mtu: 9500, label: "a:eth1 ↔ b:eth1" };
const stitch: LinkStep = {
  type: "veth-stitch",
  a: end("a", "eth2"),
  b: end("b", "eth2"),
  mtu: 9500,
  stitch: ["clab-s-1", "clab-s-2"],
  label: "a:eth2 ↔ b:eth2",
};

function setup(steps: LinkStep[]) {
  const pids = new Map<string, number>();
  const ctx: LinkContext = { pids, netns: new Map(), mgmtBridge: "br-x", dummy: true };
  const runs: LinkBatches[] = [];
  const links = new StagedLinks(steps, ctx, async (b) => {
    runs.push(b);
  });
  return { pids, runs, links };
}

describe("StagedLinks", () => {
  test("a veth whose other node is not up parks that end, then moves it in", async () => {
    const { pids, runs, links } = setup([veth]);
    pids.set("clab-s-a", 10);
    await links.ready("clab-s-a");
    expect(runs[0]?.root.map((l) => l.argv.join(" "))).toEqual([
      expect.stringMatching(
        /^link add name eth1 netns 10 mtu 9500 address aa:c1:ab:00:00:01 up type veth peer name lp[0-9a-f]{12} mtu 9500 address aa:c1:ab:00:00:01$/,
      ),
    ]);
    expect(links.pending()).toEqual([veth]);
    pids.set("clab-s-b", 20);
    await links.ready("clab-s-b");
    expect(runs[1]?.root.map((l) => l.argv.join(" "))).toEqual([
      expect.stringMatching(/^link set dev lp[0-9a-f]{12} netns 20 name eth1 up$/),
    ]);
    expect(links.pending()).toEqual([]);
  });

  test("both ends up: the whole link at once; stitch segments follow their nodes", async () => {
    const { pids, runs, links } = setup([veth, stitch]);
    pids.set("clab-s-a", 10);
    pids.set("clab-s-b", 20);
    await links.ready("clab-s-a");
    const first = runs[0]?.root.map((l) => l.argv.join(" ")) ?? [];
    expect(first[0]).toStartWith(
      "link add name eth1 netns 10 mtu 9500 address aa:c1:ab:00:00:01 up type veth peer name eth1 netns 20",
    );
    expect(first).toContain("link set dev clab-s-1 up");
    expect(runs[0]?.tc).toEqual([]);
    await links.ready("clab-s-b");
    expect(runs[1]?.root.map((l) => l.argv.join(" "))).toContain("link set dev clab-s-2 up");
    expect(runs[1]?.tc).toHaveLength(4);
    expect(links.pending()).toEqual([]);
  });
});
