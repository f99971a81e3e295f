// Containerlab's tests/01-smoke/04-generate.robot, case by case, against lab on Docker; the images
// the .robot case names (network-multitool, alpine:3) are the local alpine stand-in here.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { combined, suiteDir } from "../helpers/smoke.ts";

describe("04-generate.robot", () => {
  const labName = "3-clab-gen";
  const s = suiteDir("smoke-04", {});
  const cleanup = (name: string) => {
    const r = s.run(["destroy", "-t", `${name}.clab.yml`, "--cleanup"]);
    return r.code;
  };
  afterAll(() => {
    cleanup(labName);
    cleanup(`${labName}-scale`);
    s.remove();
  });

  test("Deploy ${lab-name} lab with generate command", () => {
    const r = s.run([
      "generate",
      "--name",
      labName,
      "--kind",
      "linux",
      "--image",
      "lab-test/alpine:3",
      "--nodes",
      "2,1,1",
      "--deploy",
      "--export-rendered",
      `${labName}.rendered.clab.yml`,
    ]);
    expect(r.code).toBe(0);
    expect(existsSync(s.path(`${labName}.rendered.clab.yml`))).toBe(true);
    expect(readFileSync(s.path(`${labName}.rendered.clab.yml`), "utf8")).toContain(labName);
  });

  test("Verify nodes", () => {
    const r = s.run(["inspect", "--name", labName]);
    expect(r.code).toBe(0);
    for (const n of ["node1-1", "node1-2", "node2-1", "node3-1"]) expect(combined(r)).toContain(`clab-${labName}-${n}`);
    expect(cleanup(labName)).toBe(0);
  });

  test("Deploy ${lab-name}-scale lab with generate command", () => {
    const r = s.run([
      "generate",
      "--name",
      `${labName}-scale`,
      "--kind",
      "linux",
      "--image",
      "lab-test/alpine:3",
      "--nodes",
      "5,5,5",
      "--deploy",
    ]);
    expect(r.code).toBe(0);
    expect(combined(r)).not.toContain("failed");
    expect(combined(r)).not.toContain("ERRO");
    expect(cleanup(`${labName}-scale`)).toBe(0);
  }, 240_000);
});
