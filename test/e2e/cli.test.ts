// The built binary (or the source under Bun) and the source under Deno, against the real engine.
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { LAB, lab, sh } from "../helpers/env.ts";
import { testIf } from "../helpers/skip.ts";

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
    // Containerlab's block (cmd/version.go), then lab's runtime and engine lines.
    expect(r.stdout).toMatch(/^ {4}version: \d+\.\d+\.\d+$/m);
    expect(r.stdout).toMatch(/^ {5}commit: \S+$/m);
    expect(r.stdout).toMatch(/^ {7}date: \S+/m);
    expect(r.stdout).toMatch(/^ {4}runtime: bun \d/m);
    expect(r.stdout).toMatch(/^ {5}engine: docker: Docker \S+ \(API 1\.\d+, using 1\.\d+\)/m);
  });

  // Only a binary built from this very commit in a clean tree tells (CI's case); a working tree with
  // changes (a developer's) is dirty on purpose.
  const head = sh("git rev-parse --short=12 HEAD").stdout.trim();
  const cleanBuild = !!process.env.LAB_BIN && !sh("git status --porcelain --untracked-files=no").stdout.trim();
  testIf(cleanBuild, "needs make test's binary built from a clean checkout")(
    "a clean checkout builds a clean version: npm ci and the build leave tracked files alone",
    () => {
      const commit: string = JSON.parse(lab(["version", "--format", "json"]).stdout).lab.commit;
      expect(commit).toBe(head);
    },
  );

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

  test("an unknown command is a usage error, with --help too", () => {
    const r = lab(["frobnicate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Unknown command frobnicate");
    const help = lab(["frobnicate", "--help"]);
    expect(help.code).toBe(2);
    expect(help.stdout).toBe("");
    expect(help.stderr).toContain("Unknown command frobnicate");
  });

  test("runs from source under Deno", () => {
    const r = sh(`cd ${root} && node_modules/.bin/deno run -A cli/main.ts version --format json`);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.runtime.name).toBe("deno");
    expect(report.engine.version).toBeTruthy();
  });
});

describe("engines: --runtime, detection, and flags lab does not know", () => {
  const engineOf = (args: string[], env: Record<string, string> = {}) =>
    JSON.parse(lab(["version", "--format", "json", ...args], { env }).stdout).engine;

  test("--runtime podman, -r, LAB_RUNTIME and CLAB_RUNTIME reach Podman and lab version names it", () => {
    expect(engineOf(["--runtime", "podman"])).toMatchObject({ runtime: "podman", name: "Podman" });
    expect(engineOf(["-r", "podman"]).host).toBe("unix:///run/podman/podman.sock");
    expect(engineOf([], { LAB_RUNTIME: "podman" }).runtime).toBe("podman");
    expect(engineOf([], { CLAB_RUNTIME: "podman" }).runtime).toBe("podman");
    expect(engineOf([]).runtime).toBe("docker");
    const text = lab(["version", "-r", "podman"]).stdout;
    expect(text).toMatch(/^\s+engine: podman: Podman \d+\.\d+\S* \(API 1\.\d+/m);
  });

  test("DOCKER_HOST at Podman's socket is known for Podman by what answers", () => {
    expect(engineOf([], { DOCKER_HOST: "unix:///run/podman/podman.sock" }).runtime).toBe("podman");
  });

  test("an unknown flag is one line with the closest flag, before anything runs", () => {
    const dir = sh("mktemp -d").stdout.trim();
    const name = `flag-${Date.now().toString(36)}`;
    sh(`cat > ${dir}/f.clab.yml`, {
      input: `name: ${name}\ntopology:\n  nodes:\n    a: { kind: linux, image: lab-test/linux:1 }\n`,
    });
    try {
      const r = lab(["up", "--runtim", "podman", "-t", `${dir}/f.clab.yml`]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split("\n")).toEqual(["ERROR unknown flag --runtim for lab up. did you mean --runtime?"]);
      expect(sh(`docker ps -aq --filter label=containerlab=${name}`).stdout.trim()).toBe("");
      expect(sh(`podman ps -aq --filter label=containerlab=${name}`).stdout.trim()).toBe("");
      const bad = lab(["inspect", "--all", "--runtime", "containerd"]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain("--runtime containerd is not one lab speaks to. Use docker or podman");
    } finally {
      sh(`rm -rf ${dir}`);
    }
  });

  test("without root, lab up says what it needs in one line and touches nothing", () => {
    // A copy the unprivileged user can reach wherever the checkout lives (CI's may be under /root).
    const dir = sh("mktemp -d /tmp/lab-nonroot-XXXXXX").stdout.trim();
    sh(`chmod 755 ${dir}`);
    const bin = process.env.LAB_BIN ? `${dir}/lab` : LAB.join(" ");
    if (process.env.LAB_BIN) sh(`cp ${process.env.LAB_BIN} ${bin}`);
    sh(`cat > ${dir}/n.clab.yml && chmod 644 ${dir}/n.clab.yml`, {
      input: "name: nonroot\ntopology:\n  nodes:\n    a: { kind: linux, image: lab-test/linux:1 }\n",
    });
    try {
      const r = sh(
        `setpriv --reuid 65534 --regid 65534 --clear-groups env HOME=/tmp NO_COLOR=1 ${bin} up -t ${dir}/n.clab.yml`,
      );
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toContain("lab up needs root: it wires links into the nodes' network namespaces");
      expect(r.code).toBe(9);
      expect(sh("docker ps -aq --filter label=containerlab=nonroot").stdout.trim()).toBe("");
    } finally {
      sh(`rm -rf ${dir}`);
    }
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
  defaults: { image: lab-test/linux:1 }
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
      expect(ping.stderr).toContain("1 packets received");
      // b again, with its link to the running a (whose end lost its address with the old veth).
      expect(deno(`up -t ${dir}/d.clab.gotmpl --node-filter b --reconfigure`).code).toBe(0);
      sh(`docker exec clab-${name}-a ip addr add 10.1.1.1/30 dev eth1`);
      expect(deno(`exec -t ${dir}/d.clab.gotmpl --node b --cmd "ping -c 1 -W 2 10.1.1.1"`).stderr).toContain(
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
