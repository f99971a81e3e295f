// Containerlab's tests/01-smoke/26-events.robot, case by case, against lab on Docker. The .robot
// cases sleep between steps; here each waits for the line it needs (bounded), then checks what the
// case checks.
import { afterAll, describe, expect, test } from "bun:test";
import { labStream, sh, waitFor } from "../helpers/env.ts";
import { testIf } from "../helpers/skip.ts";
import { suiteDir } from "../helpers/smoke.ts";

const labName = "2-linux-nodes";
const s = suiteDir("smoke-26", {
  "01-linux-nodes.clab.yml": `name: ${labName}
topology:
  nodes:
    l1: { kind: linux, image: lab-test/alpine:3, cmd: ash -c "sleep 9999" }
    l2: { kind: linux, image: lab-test/alpine:3, cmd: ash -c "sleep 9999" }
  links:
    - endpoints: ["l1:eth1", "l2:eth1"]
`,
});
const topo = s.path("01-linux-nodes.clab.yml");
const deploy = () => expect(s.run(["deploy", "-t", topo]).code).toBe(0);
const destroy = () => expect(s.run(["destroy", "-t", topo, "--cleanup"]).code).toBe(0);
const netem = sh("modinfo sch_netem >/dev/null 2>&1").code === 0;

/** lab events with these flags, started and following before `work` runs; its stdout lines after. */
async function events(flags: string[], work: (lines: string[]) => Promise<void>): Promise<string[]> {
  const ev = labStream(["--runtime", "docker", "events", ...flags]);
  try {
    await waitFor(() => ev.stderr.some((l) => l.includes("following")), 15_000, "lab events following");
    await work(ev.stdout);
  } finally {
    ev.proc.kill("SIGINT");
    await ev.proc.exited;
  }
  return ev.stdout;
}

const seen = (lines: string[], text: string) => () => lines.some((l) => l.includes(text));

afterAll(() => {
  s.run(["destroy", "-t", topo, "--cleanup"]);
  s.remove();
});

describe("26-events.robot", () => {
  test("Events Command Streams Plain Output", async () => {
    const out = await events(["--format", "plain"], async (lines) => {
      deploy();
      await waitFor(seen(lines, "interface create"), 20_000, "an interface create event");
      destroy();
      await waitFor(seen(lines, "container die"), 20_000, "a container die event");
    });
    const text = out.join("\n");
    for (const e of ["container create", "container start", "container die", "interface create", "origin=netlink"])
      expect(text).toContain(e);
    expect(text).not.toContain("interface stats");
  }, 90_000);

  test("Events Command Emits Interface Statistics When Enabled", async () => {
    const out = await events(
      ["--format", "plain", "--interface-stats", "--interface-stats-interval=2s"],
      async (lines) => {
        deploy();
        await waitFor(seen(lines, "interface stats"), 20_000, "an interface stats event");
        destroy();
      },
    );
    const text = out.join("\n");
    expect(text).toContain("container create");
    expect(text).toContain("interface stats");
  }, 90_000);

  test("Events Command Emits Initial State Snapshot", async () => {
    deploy();
    const out = await events(["--format", "plain", "--initial-state"], async (lines) => {
      await waitFor(seen(lines, "interface snapshot"), 20_000, "an interface snapshot event");
    });
    const text = out.join("\n");
    for (const e of ["container running", "origin=snapshot", "interface snapshot"]) expect(text).toContain(e);
    destroy();
  }, 90_000);

  test("Events Command Streams JSON Output", async () => {
    const out = await events(["--format", "json"], async (lines) => {
      deploy();
      await waitFor(seen(lines, '"type":"interface"'), 20_000, "an interface event");
      destroy();
      await waitFor(seen(lines, '"die"'), 20_000, "a container die event");
    });
    const text = out.join("\n");
    for (const e of ['"type":"container"', '"type":"interface"', '"origin":"netlink"']) expect(text).toContain(e);
    const parsed = out.map((l) => JSON.parse(l) as { actor_name?: string; actor_id?: string });
    expect(parsed.find((e) => e.actor_name === `clab-${labName}-l1`)?.actor_id).toBeTruthy();
  }, 90_000);

  testIf(netem, "no sch_netem kernel module")(
    "Events Command Emits Netem Changes",
    async () => {
      deploy();
      const out = await events(["--format", "json", "--initial-state"], async (lines) => {
        await waitFor(seen(lines, '"snapshot"'), 20_000, "the snapshot");
        expect(s.run(["tools", "netem", "set", "-n", `clab-${labName}-l1`, "-i", "eth1", "--delay", "50ms"]).code).toBe(
          0,
        );
        await waitFor(seen(lines, "netem_delay"), 20_000, "a netem update");
      });
      const updates = out.filter((l) => l.includes("netem_delay") && l.includes("update") && l.includes("eth1"));
      expect(updates.join("\n")).toContain("50ms");
      destroy();
    },
    90_000,
  );
});
