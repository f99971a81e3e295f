// The built binary (or the source under Bun) and the source under Deno, against the real engine.
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { lab, sh } from "../helpers/env.ts";

const root = join(import.meta.dir, "../..");

describe("lab --help", () => {
  test("lists every command with one line each", () => {
    const r = lab(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/COMMANDS/);
    expect(r.stdout).toMatch(/^\s+version\s+\S.+$/m);
    expect(r.stdout).not.toMatch(/^\s+(deploy|destroy)\s/m);
  });
  test("Containerlab's deploy and destroy work as up and down", () => {
    expect(lab(["deploy", "--help"]).stdout).toContain("lab up");
    expect(lab(["destroy", "--help"]).stdout).toContain("lab down");
  });
});

describe("lab version", () => {
  test("shows lab, the JS runtime and the engine", () => {
    const r = lab(["version"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^lab\s+\d+\.\d+\.\d+ \(commit \S+/m);
    expect(r.stdout).toMatch(/^runtime\s+bun \d/m);
    expect(r.stdout).toMatch(/^engine\s+Docker \S+ \(API 1\.\d+, using 1\.\d+\)/m);
  });

  test("a clean checkout builds a clean version: npm ci and the build leave tracked files alone", () => {
    // A working tree with changes (a developer's) is dirty on purpose; CI's fresh clone is not.
    const commit: string = JSON.parse(lab(["version", "--format", "json"]).stdout).lab.commit;
    const head = sh("git rev-parse --short=12 HEAD").stdout.trim();
    // Only a binary built from this very commit in a clean tree tells (CI's case).
    if (
      !process.env.LAB_BIN ||
      !commit.startsWith(head) ||
      sh("git status --porcelain --untracked-files=no").stdout.trim()
    )
      return;
    expect(commit).toBe(head);
  });

  test("--format json is machine-readable", () => {
    const r = lab(["version", "--format", "json"]);
    const report = JSON.parse(r.stdout);
    expect(report.runtime.name).toBe("bun");
    expect(report.engine.apiVersion).toMatch(/^1\.\d+$/);
    expect(report.engine.negotiatedApiVersion).toMatch(/^1\.\d+$/);
  });

  test("an unreachable engine is one line on stderr and exit code 4", () => {
    const r = lab(["version"], { env: { DOCKER_HOST: "unix:///nope" } });
    expect(r.code).toBe(4);
    expect(r.stdout).toBe("");
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(
      "cannot reach the Docker Engine at unix:///nope: no such socket. Is dockerd running? Set DOCKER_HOST to use another.",
    );
  });

  test("--verbose adds the stack", () => {
    const r = lab(["version", "--verbose"], { env: { DOCKER_HOST: "unix:///nope" } });
    expect(r.code).toBe(4);
    expect(r.stderr.split("\n").length).toBeGreaterThan(2);
  });

  test("an unknown command is a usage error", () => {
    const r = lab(["frobnicate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Unknown command frobnicate");
  });

  test("runs from source under Deno", () => {
    const r = sh(`cd ${root} && node_modules/.bin/deno run -A cli/main.ts version --format json`);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.runtime.name).toBe("deno");
    expect(report.engine.version).toBeTruthy();
  });
});

describe("under Deno", () => {
  test("lab up, exec, --node-filter and down of a templated, linked lab run from source", () => {
    const name = `deno-${Date.now().toString(36)}`;
    const dir = sh("mktemp -d").stdout.trim();
    const subnet = 100 + Math.floor(Math.random() * 100);
    sh(`cat > ${dir}/d.clab.gotmpl`, {
      input: `name: ${name}
mgmt: { network: ${name}, ipv4-subnet: 172.29.${subnet}.0/24 }
topology:
  defaults: { image: lab-test/linux:1, privileged: false, cap-add: [NET_ADMIN] }
  nodes:
{{- range $i, $n := .nodes }}
    {{ $n }}: { exec: ["ip addr add 10.1.1.{{ add $i 1 }}/30 dev eth1"] }
{{- end }}
  links:
    - endpoints: ["a:eth1", "b:eth1"]
`,
    });
    sh(`cat > ${dir}/d.clab_vars.yaml`, { input: "nodes: [a, b]\n" });
    const deno = (args: string) => sh(`cd ${root} && node_modules/.bin/deno run -A cli/main.ts ${args}`);
    try {
      expect(deno(`up -t ${dir}/d.clab.gotmpl`).code).toBe(0);
      const ping = deno(`exec -t ${dir}/d.clab.gotmpl --node a --cmd "ping -c 1 -W 2 10.1.1.2"`);
      expect(ping.stdout).toContain("1 packets received");
      // b again, with its link to the running a (whose end lost its address with the old veth).
      expect(deno(`up -t ${dir}/d.clab.gotmpl --node-filter b --reconfigure`).code).toBe(0);
      sh(`docker exec clab-${name}-a ip addr add 10.1.1.1/30 dev eth1`);
      expect(deno(`exec -t ${dir}/d.clab.gotmpl --node b --cmd "ping -c 1 -W 2 10.1.1.1"`).stdout).toContain(
        "1 packets received",
      );
      expect(deno(`down -t ${dir}/d.clab.gotmpl --cleanup`).code).toBe(0);
      expect(sh(`docker ps -aq --filter label=containerlab=${name}`).stdout.trim()).toBe("");
    } finally {
      deno(`down --name ${name} --cleanup`);
      sh(`rm -rf ${dir}`);
    }
  });
});
