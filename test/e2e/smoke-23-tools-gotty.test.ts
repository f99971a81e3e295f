// Containerlab's tests/01-smoke/23-tools-gotty.robot, case by case, against lab on Docker: lab's own
// console server stands where Containerlab runs a GoTTY container (same flags, names and words).
import { afterAll, describe, expect, test } from "bun:test";
import { sh } from "../helpers/env.ts";
import { combined, suiteDir } from "../helpers/smoke.ts";

describe("23-tools-gotty.robot", () => {
  const labName = "2-linux-nodes";
  const gotty = `clab-${labName}-gotty`;
  const s = suiteDir("smoke-23", {
    "01-linux-nodes.clab.yml": `name: ${labName}
topology:
  nodes:
    l1: { kind: linux, image: lab-test/alpine:3, cmd: ash -c "sleep 9999" }
    l2: { kind: linux, image: lab-test/alpine:3, cmd: ash -c "sleep 9999" }
`,
  });
  const topo = s.path("01-linux-nodes.clab.yml");
  afterAll(() => {
    s.run(["tools", "gotty", "detach", "-l", labName]);
    s.run(["destroy", "-t", topo, "--cleanup"]);
    s.remove();
  });
  const answers = () => sh("curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8080/terminal/l1").stdout;

  test("Deploy Test Lab", () => {
    expect(s.run(["deploy", "-t", topo]).code).toBe(0);
  });

  test("Attach GoTTY Using Lab Name Parameter", () => {
    const r = s.run(["tools", "gotty", "attach", "-l", labName]);
    expect(r.code).toBe(0);
    expect(combined(r)).toContain(`GoTTY container ${gotty} started`);
    expect(combined(r)).toContain("GoTTY web terminal successfully started");
    expect(answers()).toBe("200");
  });

  test("List GoTTY Containers", () => {
    const r = s.run(["tools", "gotty", "list"]);
    expect(r.code).toBe(0);
    expect(combined(r)).toContain(gotty);
    expect(combined(r)).toContain("running");
  });

  test("List GoTTY Containers JSON Format", () => {
    const r = s.run(["tools", "gotty", "list", "--format", "json"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`"${gotty}"`);
    expect(r.stdout).toContain('"running"');
  });

  test("Detach GoTTY Using Lab Name Parameter", () => {
    const r = s.run(["tools", "gotty", "detach", "-l", labName]);
    expect(r.code).toBe(0);
    expect(combined(r)).toContain(`GoTTY container ${gotty} removed successfully`);
    expect(sh(`docker ps -a | grep ${gotty} || true`).stdout).not.toContain(gotty);
    expect(answers()).toBe("000");
  });

  test("Attach GoTTY Using Topology File Parameter", () => {
    const r = s.run(["tools", "gotty", "attach", "-t", topo]);
    expect(r.code).toBe(0);
    expect(combined(r)).toContain(`GoTTY container ${gotty} started`);
    expect(combined(r)).toContain("GoTTY web terminal successfully started");
    s.run(["tools", "gotty", "detach", "-l", labName]);
  });

  test("Test GoTTY Reattach Functionality", () => {
    const first = s.run(["tools", "gotty", "attach", "-l", labName]);
    expect(first.code).toBe(0);
    expect(combined(first)).toContain("GoTTY web terminal successfully started");
    const again = s.run(["tools", "gotty", "reattach", "-l", labName]);
    expect(again.code).toBe(0);
    expect(combined(again)).toContain("GoTTY web terminal successfully reattached");
    expect(answers()).toBe("200");
    s.run(["tools", "gotty", "detach", "-l", labName]);
  });

  test("Verify GoTTY Container List Is Empty", () => {
    const r = s.run(["tools", "gotty", "list"]);
    expect(r.code).toBe(0);
    expect(combined(r)).not.toContain(gotty);
  });
});
