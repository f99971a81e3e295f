// Lifecycle details of lab up/down: stdin topologies, dry runs, --reconfigure, labs whose file is
// gone, Ctrl-C during deploy, and kinds that need KVM.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { LAB, lab, sh, waitFor } from "../helpers/env.ts";
import { errorLines, freeSubnet, labDir, leftovers } from "../helpers/lab.ts";

const t = labDir("e2e-life");
const subnet = freeSubnet();
const topo = (nodes: string, name = t.name) => `name: ${name}
mgmt: { network: ${name}, ipv4-subnet: ${subnet.v4} }
topology:
  defaults: { image: lab-test/linux:1 }
  nodes:
${nodes}
`;

afterAll(() => t.cleanup());

describe("lab up lifecycle", () => {
  test("--dry-run prints the plan without touching the engine", () => {
    const file = t.write("dry.clab.yml", topo("    a: { ports: ['8080:80'] }\n    b: {}"));
    const r = lab(["up", "-t", file, "--dry-run", "--format", "json"], { env: { DOCKER_HOST: "unix:///nope.sock" } });
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.containers.map((c: { name: string }) => c.name)).toEqual([`clab-${t.name}-a`, `clab-${t.name}-b`]);
    expect(plan.containers[0].spec.HostConfig.PortBindings).toEqual({ "80/tcp": [{ HostIp: "", HostPort: "8080" }] });
    expect(plan.network.spec.Name).toBe(t.name);
  });

  test("lab validate prints the plan as YAML", () => {
    const file = t.write("val.clab.yml", topo("    a: {}"));
    const r = lab(["validate", "-t", file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`name: clab-${t.name}-a`);
    expect(r.stderr).toContain("valid (1 nodes, 0 links)");
  });

  test("a topology on stdin (-t -), --reconfigure, and down after the file is gone", () => {
    const text = topo("    a: {}");
    const up = lab(["up", "-t", "-"], { input: text, cwd: t.dir });
    expect(up.code).toBe(0);
    const first = sh(`docker ps -q --filter label=containerlab=${t.name}`).stdout.trim();
    const file = t.write("re.clab.yml", text);
    const again = lab(["up", "-t", file, "--reconfigure"]);
    expect(again.code).toBe(0);
    const second = sh(`docker ps -q --filter label=containerlab=${t.name}`).stdout.trim();
    expect(second).not.toBe("");
    expect(second).not.toBe(first);
    rmSync(file);
    const down = lab(["down", "--name", t.name, "--cleanup"]);
    expect(down.code).toBe(0);
    expect(leftovers(t.name, { network: t.name })).toMatchObject({
      containers: "",
      network: "",
      hosts: "0",
      netns: "0",
    });
    expect(existsSync(`${t.dir}/clab-${t.name}`)).toBe(false);
  });

  test("Ctrl-C during deploy removes what was created and exits 130", async () => {
    const name = `${t.name}-int`;
    // b waits 60 s (startup-delay) after a, a static-IP node, was created: time to interrupt.
    const file = t.write(
      "int.clab.yml",
      topo(`    a: { mgmt-ipv4: 172.30.${subnet.third}.40 }\n    b: { startup-delay: 60 }`, name),
    );
    const [bin, ...pre] = LAB;
    const proc = Bun.spawn([bin as string, ...pre, "up", "-t", file], {
      stdout: "pipe",
      stderr: "pipe",
      env: { ...process.env, NO_COLOR: "1" },
    });
    await waitFor(
      () => sh(`docker ps -q --filter label=containerlab=${name}`).stdout.trim() !== "",
      30_000,
      "the first container",
    );
    proc.kill("SIGINT");
    const code = await proc.exited;
    const stderr = await new Response(proc.stderr).text();
    expect(code).toBe(130);
    expect(stderr).toContain("interrupted");
    expect(leftovers(name, { network: name })).toMatchObject({ containers: "", network: "", hosts: "0", netns: "0" });
  }, 60_000);

  test("a VM-based kind without /dev/kvm is one clear line", () => {
    const file = t.write("kvm.clab.yml", topo("    sr1: { kind: nokia_sros, image: lab-test/linux:1 }"));
    const r = lab(["up", "-t", file], { env: { LAB_KVM_DEVICE: "/dev/kvm-absent" } });
    expect(r.code).toBe(3);
    expect(errorLines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain(
      "node sr1 (kind nokia_sros) runs a VM and needs /dev/kvm-absent, which this host does not have",
    );
    expect(leftovers(t.name, { network: t.name }).containers).toBe("");
  });

  test("mysocketio nodes are accepted and skipped with a note", () => {
    const file = t.write(
      "sock.clab.yml",
      topo("    a: {}\n    mysocketio: { kind: mysocketio, image: ghcr.io/hellt/mysocketctl:0.5.0 }"),
    );
    const r = lab(["validate", "-t", file, "--format", "json"]);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.containers).toHaveLength(1);
    expect(plan.notes[0]).toContain("lab share publishes ports through the mysocket API itself");
  });
});

describe("startup-config", () => {
  test("lands where each kind boots from, survives a redeploy unless enforced", () => {
    const name = `${t.name}-sc`;
    const cfgDir = `${t.dir}/clab-${name}`;
    const env = { LAB_KVM_DEVICE: "/dev/null" };
    writeFileSync(`${t.dir}/r1.cfg`, "configure system name r1\n");
    const write = (enforce: boolean) =>
      t.write(
        "sc.clab.yml",
        topo(
          `    sr1: { kind: nokia_sros, image: lab-test/linux:1, cmd: "sleep 3600", startup-config: r1.cfg, enforce-startup-config: ${enforce} }
    ce1:
      kind: ceos
      cmd: sleep 3600
      extras: { ceos-copy-to-flash: [r1.cfg] }
      startup-config: |
        hostname ce1
        interface Ethernet1
    plain: { startup-config: r1.cfg }
  links:
    - endpoints: ["ce1:eth1", "plain:eth1"]`,
          name,
        ),
      );
    const inNode = (node: string, cmd: string) => sh(`docker exec clab-${name}-${node} ${cmd}`).stdout;
    try {
      const first = lab(["up", "-t", write(false), "--post-deploy-timeout", "2"], { env });
      expect(first.code).toBe(0);
      expect(inNode("sr1", "cat /tftpboot/config.txt")).toBe("configure system name r1\n");
      expect(inNode("ce1", "cat /mnt/flash/startup-config")).toBe("hostname ce1\ninterface Ethernet1\n");
      expect(first.stderr).toContain("node plain: kind linux reads no startup-config; it is not used");
      // cEOS also gets its interface wait script and its own system MAC in flash.
      expect(sh(`docker exec clab-${name}-ce1 sh /mnt/flash/if-wait.sh`).stdout).toBe(
        "if-wait: 1 of 1 interfaces after 0s\n",
      );
      expect(inNode("ce1", "cat /mnt/flash/system_mac_address")).toMatch(/^00:1c:73(:[0-9a-f]{2}){3}$/);
      expect(inNode("ce1", "cat /mnt/flash/r1.cfg")).toBe("configure system name r1\n");
      expect(sh(`docker inspect -f '{{json .Config.Cmd}}' clab-${name}-ce1`).stdout).toContain("sleep");

      // What the node saved (here: an edit on the host) is kept over a down and up …
      writeFileSync(`${cfgDir}/sr1/tftpboot/config.txt`, "saved by the node\n");
      expect(lab(["down", "-t", write(false)]).code).toBe(0);
      const again = lab(["up", "-t", write(false), "--post-deploy-timeout", "2"], { env });
      expect(again.code).toBe(0);
      expect(again.stderr).toContain("node sr1: keeping");
      expect(inNode("sr1", "cat /tftpboot/config.txt")).toBe("saved by the node\n");

      // … and replaced with enforce-startup-config.
      expect(lab(["down", "-t", write(true)]).code).toBe(0);
      expect(lab(["up", "-t", write(true), "--post-deploy-timeout", "2"], { env }).code).toBe(0);
      expect(inNode("sr1", "cat /tftpboot/config.txt")).toBe("configure system name r1\n");
    } finally {
      lab(["down", "--name", name, "--cleanup"]);
    }
    expect(existsSync(cfgDir)).toBe(false);
  });
});

describe("templated topologies (*.clab.gotmpl)", () => {
  const template = (name: string) => `name: ${name}
topology:
  defaults: { image: lab-test/linux:1 }
  nodes:
{{- range $i := seq .leaves }}
    leaf{{ $i }}: {}
{{- end }}
  links:
{{- range $i := seq (subtract .leaves 1) }}
    - endpoints: ["leaf{{ $i }}:eth{{ $i }}", "leaf{{ add $i 1 }}:eth{{ $i }}"]
{{- end }}
`;

  test("vars come from <topology>_vars.yaml beside it, or --vars; the lab deploys", () => {
    const name = `${t.name}-tpl`;
    const file = t.write("fab.clab.gotmpl", template(name));
    t.write("fab.clab_vars.yaml", "leaves: 3\n");
    t.write("big.yaml", "leaves: 5\n");
    const found = lab(["validate", "-t", file]);
    expect(found.code).toBe(0);
    expect(found.stderr).toContain("valid (3 nodes, 2 links)");
    const given = lab(["validate", "-t", file, "--vars", `${t.dir}/big.yaml`]);
    expect(given.stderr).toContain("valid (5 nodes, 4 links)");
    try {
      const up = lab(["up", "-t", file]);
      expect(up.code).toBe(0);
      expect(sh(`docker exec clab-${name}-leaf2 ip link show eth2`).code).toBe(0);
    } finally {
      lab(["down", "--name", name, "--cleanup"]);
    }
  });

  test("a template mistake is one line with the file and line", () => {
    const file = t.write("bad.clab.gotmpl", "name: x\ntopology:\n  nodes:\n{{ range .n }}\n    a: {}\n");
    const r = lab(["validate", "-t", file]);
    expect(r.code).toBe(3);
    expect(errorLines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain("bad.clab.gotmpl:4: template: {{range}} has no {{end}} (unexpected EOF)");
  });
});

describe("stages: create-links and configure", () => {
  test("a node that waits on another's create-links starts after those links exist", () => {
    const name = `${t.name}-st`;
    const hostIf = `st${t.name.slice(-6)}`;
    const file = t.write(
      "stages.clab.yml",
      topo(
        `    a: { cap-add: [NET_ADMIN], exec: ["ip addr add 10.97.0.1/30 dev eth1"] }
    # In the host's namespace, b records at start which interfaces the host has.
    b:
      network-mode: host
      cmd: sh -c "ls /sys/class/net > /tmp/seen; sleep 3600"
      stages: { create: { wait-for: [{ node: a, stage: create-links }] } }
    c:
      cap-add: [NET_ADMIN]
      exec: ["ip addr add 10.97.0.2/30 dev eth1"]
      stages: { create: { wait-for: [{ node: a, stage: configure }] } }
  links:
    - endpoints: ["a:eth2", "host:${hostIf}"]
    - endpoints: ["a:eth1", "c:eth1"]`,
        name,
      ),
    );
    try {
      const r = lab(["up", "-t", file]);
      expect(r.code).toBe(0);
      expect(sh(`docker exec clab-${name}-b cat /tmp/seen`).stdout.split("\n")).toContain(hostIf);
      // a's eth1 was made before c existed: its far end waited on the host, then moved into c.
      expect(sh(`docker exec clab-${name}-c ping -c 1 -W 2 10.97.0.1`).stdout).toContain("1 packets received");
      expect(sh("ip -o link show | grep -c ' lp[0-9a-f]\\{12\\}'").stdout.trim()).toBe("0");
    } finally {
      lab(["down", "--name", name, "--cleanup"]);
    }
    expect(sh(`ip link show ${hostIf}`).code).not.toBe(0);
  });
});

describe("lab save", () => {
  test("nodes write their running config where they boot from; down and up keep it", () => {
    const name = `${t.name}-sv`;
    // Stands in for cEOS's Cli: `wr` writes the running config to flash.
    writeFileSync(
      `${t.dir}/Cli`,
      '#!/bin/sh\n[ "$*" = "-p 15 -c wr" ] || exit 3\necho "hostname saved-by-wr" > /mnt/flash/startup-config\necho "Copy completed successfully."\n',
      { mode: 0o755 },
    );
    const file = t.write(
      "save.clab.yml",
      topo(
        `    ce:
      kind: ceos
      cmd: sleep 3600
      binds: ["./Cli:/usr/bin/Cli:ro"]
      startup-config: |
        hostname initial
    l: {}`,
        name,
      ),
    );
    const flash = `${t.dir}/clab-${name}/ce/flash/startup-config`;
    try {
      expect(lab(["up", "-t", file, "--post-deploy-timeout", "2"]).code).toBe(0);
      const saved = lab(["save", "-t", file]);
      expect(saved.code).toBe(0);
      expect(saved.stderr).toContain("ce: saved (Copy completed successfully.)");
      expect(saved.stderr).toContain("l: skipped (kind linux has no save command)");
      expect(readFileSync(flash, "utf8")).toBe("hostname saved-by-wr\n");
      expect(lab(["down", "-t", file]).code).toBe(0);
      const again = lab(["up", "-t", file, "--post-deploy-timeout", "2"]);
      expect(again.stderr).toContain("node ce: keeping");
      expect(readFileSync(flash, "utf8")).toBe("hostname saved-by-wr\n");
      const json = JSON.parse(lab(["save", "-t", file, "--node-filter", "ce", "--format", "json"]).stdout);
      expect(json).toEqual([
        expect.objectContaining({ node: "ce", status: "saved", detail: "Copy completed successfully." }),
      ]);
    } finally {
      lab(["down", "--name", name, "--cleanup"]);
    }
  });
});

describe("lab save, bad cases", () => {
  test("a node that cannot save, and an unknown node, are one clear line each", () => {
    const name = `${t.name}-sf`;
    writeFileSync(`${t.dir}/Cli-broken`, '#!/bin/sh\necho "% not ready yet" >&2\nexit 1\n', { mode: 0o755 });
    const file = t.write(
      "save-fail.clab.yml",
      topo(`    ce: { kind: ceos, cmd: sleep 3600, binds: ["./Cli-broken:/usr/bin/Cli:ro"] }`, name),
    );
    try {
      expect(lab(["up", "-t", file, "--post-deploy-timeout", "2"]).code).toBe(0);
      const r = lab(["save", "-t", file]);
      expect(r.code).toBe(7);
      expect(r.stderr).toContain("ce: failed (% not ready yet)");
      expect(r.stderr).toContain("saving failed on ce. Check that the nodes have finished booting");
      const unknown = lab(["save", "-t", file, "--node-filter", "nope"]);
      expect(unknown.code).toBe(5);
      expect(errorLines(unknown.stderr)).toHaveLength(1);
      expect(unknown.stderr).toContain(`no running node nope in lab ${name}`);
    } finally {
      lab(["down", "--name", name, "--cleanup"]);
    }
  });
});
