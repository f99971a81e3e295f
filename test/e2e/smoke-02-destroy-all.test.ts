// Containerlab's tests/01-smoke/02-destroy-all.robot, case by case, against lab on Docker: two labs
// (01-linux-nodes.clab.yml and 01-linux-single-node.clab.yml) on stand-in images, deployed from
// another working directory, inspected by name, file and --all, redeployed and destroyed.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lab, sh } from "../helpers/env.ts";
import { testIf } from "../helpers/skip.ts";

const lab1File = "01-linux-nodes.clab.yml";
const lab2File = "01-linux-single-node.clab.yml";
const lab2Name = "single-node";

const lab1 = `name: 2-linux-nodes
topology:
  nodes:
    l1:
      kind: linux
      image: lab-test/alpine:3
      cmd: ash -c "sleep 9999"
      mgmt-ipv4: 172.20.20.99
      mgmt-ipv6: 3fff:172:20:20::99
    l2:
      kind: linux
      image: lab-test/nginx:1
      ports:
        - 56180:80
      mgmt-ipv4: 172.20.20.100
      mgmt-ipv6: 3fff:172:20:20::100
    l3:
      kind: linux
      image: lab-test/nginx:1
      network-mode: host
  links:
    - endpoints: ["l1:eth1", "l2:some1"]
      mtu: 2000
    - endpoints: ["l1:eth2", "l2:eth2"]
`;

const lab2 = `name: ${lab2Name}

mgmt:
  network: test
  ipv4-subnet: 172.20.30.0/24
  ipv4-range: 172.20.30.8/30

topology:
  nodes:
    l1:
      kind: linux
      image: lab-test/alpine:3
      cmd: ash -c "sleep 9999"
`;

const dir = mkdtempSync(join(tmpdir(), "smoke-02-"));
/** Run And Return Rc And Output: stdout and stderr together, without the last newline. */
const combined = (r: { stdout: string; stderr: string }) => (r.stderr + r.stdout).replace(/\n$/, "");
const lines = (text: string) => text.split("\n").length;
// destroy --all removes every lab on the engine: only where no other lab runs.
const othersRunning = sh("docker ps -aq --filter label=containerlab | wc -l").stdout.trim() !== "0";

beforeAll(() => {
  lab(["destroy", "--name", "2-linux-nodes", "--cleanup"]);
  lab(["destroy", "--name", lab2Name, "--cleanup"]);
  writeFileSync(join(dir, lab1File), lab1);
  writeFileSync(join(dir, lab2File), lab2);
});

afterAll(() => {
  lab(["destroy", "-t", join(dir, lab1File), "--cleanup"]);
  lab(["destroy", "-t", join(dir, lab2File), "--cleanup"]);
  sh("docker network rm test");
  rmSync(dir, { recursive: true, force: true });
});

describe("02-destroy-all.robot", () => {
  test("Deploy first lab", () => {
    const r = lab(["--runtime", "docker", "deploy", "-t", join(dir, lab1File)]);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, "clab-2-linux-nodes"))).toBe(true);
  });

  test("Deploy second lab", () => {
    // From another working directory: the lab dir still goes beside the topology file.
    const r = lab(["--runtime", "docker", "deploy", "-t", join(dir, lab2File)], { cwd: "/tmp" });
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, "clab-single-node"))).toBe(true);
  });

  test("Inspect ${lab2-name} lab using its name", () => {
    const r = lab(["--runtime", "docker", "inspect", "--name", lab2Name]);
    expect(r.code).toBe(0);
    // One node of two lines, four lines of header and frame, one log line naming the topology.
    expect(lines(combined(r))).toBe(7);
  });

  test("Inspect ${lab2-name} lab using topology file reference", () => {
    const r = lab(["--runtime", "docker", "inspect", "-t", join(dir, lab2File)]);
    expect(r.code).toBe(0);
    expect(lines(r.stdout.replace(/\n$/, ""))).toBe(6);
  });

  testIf(!othersRunning, "other labs run on this engine: --all would list them too")("Inspect all", () => {
    const r = lab(["--runtime", "docker", "inspect", "--all"]);
    expect(r.code).toBe(0);
    // Three nodes of lab 1 and one of lab 2, header, frame and row rules.
    expect(lines(combined(r))).toBe(15);
  });

  test("Verify host mode networking for node l3", () => {
    const r = sh("curl -s localhost:80");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Thank you for using nginx");
  });

  test("Verify ipv4-range is set correctly", () => {
    const r = lab(["--runtime", "docker", "inspect", "-t", join(dir, lab2File)]);
    expect(r.stdout).toContain("172.20.30.9");
  });

  test("Redeploy second lab", () => {
    const r = lab(["--runtime", "docker", "redeploy", "-c", "-t", join(dir, lab2File)], { cwd: "/tmp" });
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, `clab-${lab2Name}`))).toBe(true);
  });

  test("Destroy by the lab name", () => {
    const r = lab(["--runtime", "docker", "destroy", "-c", "--name", lab2Name]);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, `clab-${lab2Name}`))).toBe(false);
  });

  test("Deploy ${lab2-name} lab again", () => {
    const r = lab(["--runtime", "docker", "deploy", "-t", join(dir, lab2File)]);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, `clab-${lab2Name}`))).toBe(true);
  });

  testIf(!othersRunning, "other labs run on this engine: destroy --all would remove them")("Destroy all labs", () => {
    const r = lab(["--runtime", "docker", "destroy", "--all", "--cleanup", "--yes"]);
    expect(r.code).toBe(0);
  });

  testIf(!othersRunning, "other labs run on this engine: destroy --all would remove them")(
    "Check all labs have been removed",
    () => {
      const r = lab(["--runtime", "docker", "inspect", "--all"]);
      expect(combined(r)).toContain("no containers found");
      expect(existsSync("/tmp/single-node")).toBe(false);
      expect(existsSync(join(dir, "clab-2-linux-nodes"))).toBe(false);
    },
  );
});
