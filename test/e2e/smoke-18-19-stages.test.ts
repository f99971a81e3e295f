// Containerlab's tests/01-smoke 18-stages and 19-stages-race, case by case, against lab on Docker
// with the suites' topologies on stand-in images (debian:bookworm-slim → lab-test/debian:1, whose
// coreutils date prints the nanoseconds the cases compare). 18's "Pre-Pull Image" pulls from the
// internet; the stand-in is built locally instead.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, rmSync } from "node:fs";
import { sh } from "../helpers/env.ts";
import { suiteDir } from "../helpers/smoke.ts";

/** 18-stages.robot's keyword: the lines from the marker's line up to the next line holding INFO. */
function between(text: string, marker: string): string {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => l.includes(marker));
  if (start < 0) return "";
  const end = lines.findIndex((l, i) => i > start && l.trim().includes("INFO"));
  return lines.slice(start, end < 0 ? undefined : end).join("\n");
}

describe("18-stages.robot", () => {
  const labName = "stages";
  const s = suiteDir("smoke-18", {
    "stages.clab.yml": `name: ${labName}
topology:
  defaults:
    kind: linux
    image: lab-test/debian:1
  nodes:
    node1:
      cmd: sh -c "date +%s%N > /tmp/time & sh"
      stages:
        create:
          wait-for:
            - node: node2
              stage: create
        create-links:
          exec:
            - command: bash -c 'echo foo > /tmp/host-exec-test'
              phase: on-enter
              target: host
            - command: ls /sys/class/net/
              phase: on-enter

    node2:
      cmd: sh -c "date +%s%N > /tmp/time & sh"
      stages:
        create:
          wait-for:
            - node: node3
              stage: create-links

    node3:
      cmd: sh -c "date +%s%N > /tmp/time & sh"
      stages:
        create:
          wait-for:
            - node: node4
              stage: healthy
          exec:
            - command: ls /sys/class/net/
              phase: on-exit

    node4:
      cmd: sh -c "date +%s%N > /tmp/time & sh"
      healthcheck:
        start-period: 5
        interval: 1
        test:
          - CMD-SHELL
          - cat /etc/os-release
      stages:
        create-links:
          exec:
            - command: uname -n
              phase: on-exit
        healthy:
          exec:
            - command: echo 'hey I am exiting healthy stage'
              phase: on-exit

  links:
    - endpoints: ["node1:eth1", "node2:eth1"]
    - endpoints: ["node1:eth3", "node4:eth3"]
    - endpoints: ["node2:eth2", "node4:eth2"]
    - endpoints: ["node3:eth1", "host:n3eth1"]
`,
  });
  const topo = s.path("stages.clab.yml");
  const teardown = () => s.run(["destroy", "-c", "-t", topo]);
  const time = (n: string) => BigInt(sh(`docker exec clab-${labName}-${n} cat /tmp/time`).stdout.trim());
  let deploy = { code: -1, stdout: "", stderr: "" };
  beforeAll(() => {
    teardown();
    rmSync("/tmp/host-exec-test", { force: true });
  });
  afterAll(() => {
    teardown();
    rmSync("/tmp/host-exec-test", { force: true });
    sh("ip link del n3eth1 2>/dev/null");
    s.remove();
  });

  test("Deploy ${lab-name} lab", () => {
    deploy = s.run(["deploy", "-t", topo]);
    expect(deploy.code).toBe(0);
  }, 180_000);

  test("Ensure node3 started after node4", () => {
    expect(time("node3") > time("node4")).toBe(true);
  });

  test("Ensure node4 executed on-exit commands for its create-links stage and this output contains all interfaces", () => {
    expect(deploy.stderr).toContain('Executed command node=node4 command="uname -n"\n  stdout=\n  │ node4');
  });

  test("Ensure node4 executed on-exit commands for its healthy stage", () => {
    expect(deploy.stderr).toContain(
      'Executed command node=node4 command="echo hey I am exiting healthy stage"\n  stdout=\n  │ hey I am exiting healthy stage',
    );
  });

  test("Ensure node3 executed on-exit commands for its create stage and this output doesn't contain any non eth0/lo interfaces", () => {
    const text = between(deploy.stderr, 'INFO Executed command node=node3 command="ls /sys/class/net/"');
    expect(text).toContain("lo");
    expect(text).toContain("eth0");
    expect(text).not.toContain("eth1");
  });

  test("Ensure node1 executed on-enter commands for its create-links stage and this output doesn't contain any non eth0/lo interfaces", () => {
    const text = between(deploy.stderr, 'INFO Executed command node=node1 command="ls /sys/class/net/"');
    expect(text).toContain("eth0");
    expect(text).not.toContain("eth1");
  });

  test("Ensure host-exec file is created with the right content", () => {
    expect(readFileSync("/tmp/host-exec-test", "utf8")).toContain("foo");
  });

  test("Deploy ${lab-name} lab with a single worker", () => {
    teardown();
    expect(s.run(["deploy", "--max-workers", "1", "-t", topo]).code).toBe(0);
  }, 180_000);

  test("Ensure node3 started after node4 after a single worker run", () => {
    expect(time("node3") > time("node4")).toBe(true);
  });
});

describe("19-stages-race.robot", () => {
  const s = suiteDir("smoke-19", {
    "stages-race.clab.yml": `name: stages-race

topology:
  kinds:
    linux:
      image: lab-test/alpine:3
  nodes:
    l1:
      kind: linux
      exec:
        - ip l show dev eth1
    l2:
      kind: linux
      startup-delay: 3
  links:
    - endpoints: ["l1:eth1", "l2:eth1"]
`,
  });
  const topo = s.path("stages-race.clab.yml");
  s.run(["destroy", "-c", "-t", topo]);
  afterAll(() => {
    s.run(["destroy", "-c", "-t", topo]);
    s.remove();
  });

  test("Deploy ${lab-name} lab", () => {
    const r = s.run(["deploy", "-t", topo]);
    expect(r.stderr).not.toContain("ip: can't find device");
    expect(r.stderr).not.toContain("Failed to execute command");
    expect(r.stderr).not.toContain("ERRO");
    expect(r.code).toBe(0);
  });
});
