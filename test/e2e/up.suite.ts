// lab up / inspect / exec / down of a 3-node topology modelled on Containerlab's 01-smoke suite,
// checked from inside the containers, then checked for leftovers: one body, run per engine
// (up.test.ts on Docker, up-podman.test.ts on Podman).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TestEngine } from "../helpers/engines.ts";
import { freePort, lab, sh } from "../helpers/env.ts";
import { freeSubnet, labDir, leftovers } from "../helpers/lab.ts";

export function upSuite(engine: TestEngine) {
  describe(`on ${engine.name}`, () => {
    const t = labDir(`e2e-up-${engine.name.slice(0, 3)}`, engine);
    const net = `${t.name}-mgmt`.slice(0, 40);
    const subnet = freeSubnet();
    const ip4 = `172.30.${subnet.third}.11`;
    const ip6 = `3fff:172:30:${subnet.third}::11`;
    const suffix = t.name.slice(-6);
    const hostIf = `h${suffix}`;
    const mgmtIf = `m${suffix}`;
    let hostPort = 0;
    let file = "";
    let up: ReturnType<typeof lab>;
    let bridgeName = "";

    const { cli } = engine;
    const inNode = (node: string, cmd: string) => sh(`${cli} exec clab-${t.name}-${node} sh -c '${cmd}'`).stdout.trim();
    const run = (args: string[]) => lab(args, { env: engine.env });

    beforeAll(async () => {
      hostPort = await freePort();
      mkdirSync(join(t.dir, "data"));
      writeFileSync(join(t.dir, "data/hello.txt"), "hello from the host\n");
      file = t.write(
        "smoke.clab.yml",
        `name: ${t.name}
mgmt:
  network: ${net}
  ipv4-subnet: ${subnet.v4}
  ipv6-subnet: ${subnet.v6}
topology:
  defaults:
    image: lab-test/linux:1
  nodes:
    l1:
      mgmt-ipv4: ${ip4}
      mgmt-ipv6: ${ip6}
      env:
        ENV1: "1"
        ENV2: \${LAB_E2E_UNSET:-defaulted}
      binds:
        - ./data/hello.txt:/hello.txt:ro
      exec:
        - sh -c "echo exec-ran > /tmp/exec.txt"
        - ip addr add 10.99.0.1/30 dev eth1
      aliases: [alias-l1]
      dns:
        servers: [10.9.9.9]
        search: [lab.test]
    l2:
      cmd: httpd -f -p 80 -h /var/www
      ports: ["127.0.0.1:${hostPort}:80"]
      labels: { role: web }
      exec:
        - ip addr add 10.99.0.2/30 dev eth1
    l3:
      privileged: false
  links:
    - endpoints: ["l1:eth1", "l2:eth1"]
      mtu: 1500
    - type: veth
      mtu: 9000
      endpoints:
        - { node: l2, interface: eth2, mac: "02:00:00:00:aa:01" }
        - { node: l3, interface: eth2 }
    - endpoints: ["l3:eth3", "host:${hostIf}"]
    - endpoints: ["l1:eth4", "mgmt-net:${mgmtIf}"]
    - type: dummy
      endpoint: { node: l3, interface: dum0 }
`,
      );
      up = run(["up", "-t", file]);
    });

    afterAll(() => t.cleanup());

    describe("lab up", () => {
      test("deploys and prints the inspect table", () => {
        expect(up.stderr).not.toContain("ERROR");
        expect(up.code).toBe(0);
        for (const n of ["l1", "l2", "l3"]) expect(up.stdout).toContain(`clab-${t.name}-${n}`);
        expect(up.stdout).toContain(`127.0.0.1:${hostPort}→80/tcp`);
      });

      test("env with expansion, binds and exec", () => {
        expect(inNode("l1", "echo $ENV1-$ENV2")).toBe("1-defaulted");
        expect(inNode("l1", "cat /hello.txt")).toBe("hello from the host");
        expect(inNode("l1", "cat /tmp/exec.txt")).toBe("exec-ran");
      });

      test("static IPv4 and IPv6 management addresses", () => {
        expect(inNode("l1", "ip addr show eth0")).toContain(`inet ${ip4}/24`);
        expect(inNode("l1", "ip addr show eth0")).toContain(`inet6 ${ip6}/64`);
      });

      test("aliases resolve on the management network, dns settings apply", () => {
        expect(inNode("l3", "nslookup alias-l1")).toContain(ip4);
        expect(inNode("l1", "cat /etc/resolv.conf")).toContain("lab.test");
        expect(sh(`${cli} inspect -f '{{json .HostConfig.Dns}}' clab-${t.name}-l1`).stdout).toContain("10.9.9.9");
      });

      test("brief veth with its MTU, up, and traffic flows", () => {
        const eth1 = inNode("l1", "ip link show eth1");
        expect(eth1).toContain("mtu 1500");
        expect(eth1).toMatch(/<[^>]*\bUP\b/);
        expect(inNode("l1", "ping -c 1 -W 2 10.99.0.2")).toContain("1 packets received");
      });

      test("extended veth with the given MAC and MTU", () => {
        const eth2 = inNode("l2", "ip link show eth2");
        expect(eth2).toContain("mtu 9000");
        expect(eth2).toContain("link/ether 02:00:00:00:aa:01");
        expect(inNode("l3", "ip link show eth2")).toMatch(/mtu 9000.*\n.*link\/ether aa:c1:ab:/);
        expect(inNode("l3", "ip link show eth2")).toMatch(/<[^>]*\bUP\b/);
      });

      test("host link: one end on the host, one in the node", () => {
        expect(sh(`ip link show ${hostIf}`).stdout).toContain("mtu 9500");
        expect(inNode("l3", "ip link show eth3")).toMatch(/<[^>]*\bUP\b/);
      });

      test("mgmt-net link: the host end joins the management bridge", () => {
        expect(sh(`ip link show ${mgmtIf}`).stdout).toContain(`master ${engine.bridge(net)}`);
        expect(inNode("l1", "ip link show eth4")).toMatch(/<[^>]*\bUP\b/);
      });

      test("management bridge: LLDP crosses it, and on Docker outside hosts may reach it (DOCKER-USER)", () => {
        const bridge = engine.bridge(net);
        expect(sh(`cat /sys/class/net/${bridge}/bridge/group_fwd_mask`).stdout.trim()).toBe("0x4000");
        bridgeName = bridge;
        // DOCKER-USER is Docker's chain; on Podman (as in Containerlab) lab leaves the firewall alone.
        if (engine.name === "podman") {
          expect(sh("iptables -S DOCKER-USER").stdout).not.toContain(bridge);
          return;
        }
        for (const tool of ["iptables", "ip6tables"]) {
          // Docker 20.10 leaves IPv6 filtering alone unless ip6tables is on: then there is no chain to use.
          const listed = sh(`${tool} -S DOCKER-USER`);
          if (tool === "ip6tables" && listed.code !== 0) continue;
          const rules = listed.stdout;
          expect(rules).toContain(`-A DOCKER-USER -i ${bridge} -m comment --comment "set by lab" -j ACCEPT`);
          expect(rules).toContain(`-A DOCKER-USER -o ${bridge} -m comment --comment "set by lab" -j ACCEPT`);
        }
      });

      test("nodes run privileged by default; an unprivileged one keeps the engine's capabilities and can ping", () => {
        const privileged = (n: string) =>
          sh(`${cli} inspect -f '{{.HostConfig.Privileged}}' clab-${t.name}-${n}`).stdout.trim();
        expect(privileged("l1")).toBe("true");
        expect(privileged("l3")).toBe("false");
        // Podman leaves NET_RAW out of its defaults; lab adds it so ping works as on Docker.
        expect(inNode("l3", `ping -c 1 -W 2 ${ip4} >/dev/null && echo ok`)).toBe("ok");
      });

      test("dummy interface", () => {
        const dum = inNode("l3", "ip link show dum0");
        expect(dum).toContain("mtu 9500");
        expect(dum).toMatch(/<[^>]*\bUP\b/);
      });

      test("ports: the host reaches the node's HTTP server", async () => {
        const body = await (await fetch(`http://127.0.0.1:${hostPort}/`)).text();
        expect(body).toBe("lab test node\n");
      });

      test("Containerlab's labels, hosts block, ssh config and lab-dir files", () => {
        const labels = JSON.parse(sh(`${cli} inspect -f '{{json .Config.Labels}}' clab-${t.name}-l2`).stdout);
        expect(labels).toMatchObject({
          containerlab: t.name,
          "clab-node-name": "l2",
          "clab-node-kind": "linux",
          "clab-topo-file": file,
          role: "web",
        });
        const hosts = sh(`sed -n '/CLAB-${t.name}-START/,/CLAB-${t.name}-END/p' /etc/hosts`).stdout;
        expect(hosts).toContain(`${ip4}\tclab-${t.name}-l1 `);
        expect(hosts.trim().split("\n")).toHaveLength(2 + 6);
        expect(sh(`cat /etc/ssh/ssh_config.d/clab-${t.name}.conf`).stdout).toContain(`Host clab-${t.name}-l1`);
        const data = JSON.parse(sh(`cat ${t.dir}/clab-${t.name}/topology-data.json`).stdout);
        expect(data.nodes.l1["mgmt-ipv4-address"]).toBe(ip4);
        expect(sh(`cat ${t.dir}/clab-${t.name}/ansible-inventory.yml`).stdout).toContain(`ansible_host: ${ip4}`);
      });

      test("a second lab up applies nothing: the running lab already matches", () => {
        const ids = sh(`${cli} ps -q --filter label=containerlab=${t.name} | sort`).stdout;
        const again = run(["up", "-t", file]);
        expect(again.code).toBe(0);
        expect(again.stderr).toContain(`lab ${t.name} is up to date: nothing to change`);
        expect(sh(`${cli} ps -q --filter label=containerlab=${t.name} | sort`).stdout).toBe(ids);
      });
    });

    describe("lab inspect and lab exec", () => {
      test("inspect --format json groups by lab", () => {
        const r = run(["inspect", "--name", t.name, "--format", "json"]);
        const json = JSON.parse(r.stdout);
        expect(json[t.name]).toHaveLength(3);
        expect(json[t.name][0]).toMatchObject({
          name: `clab-${t.name}-l1`,
          kind: "linux",
          state: "running",
          ipv4_address: `${ip4}/24`,
        });
      });

      test("inspect --interfaces shows each node's links from inside", () => {
        const table = run(["inspect", "-t", file, "--interfaces"]);
        expect(table.code).toBe(0);
        expect(table.stdout).toMatch(
          new RegExp(`clab-${t.name}-l2\\s.*eth2\\s.*veth\\s.*up\\s.*9000\\s.*02:00:00:00:aa:01`),
        );
        const json = JSON.parse(run(["inspect", "-t", file, "--interfaces", "--format", "json"]).stdout) as {
          node: string;
          interfaces: { name: string; kind: string; mtu: number }[];
        }[];
        const l3 = json.find((n) => n.node === "l3");
        expect(l3?.interfaces.find((i) => i.name === "eth3")).toMatchObject({ kind: "veth", mtu: 9500 });
        expect(l3?.interfaces.some((i) => i.name === "lo")).toBe(false);
      });

      test("inspect --ports explains each published port", () => {
        const r = run(["inspect", "-t", file, "--ports"]);
        expect(r.stdout.trim()).toBe(
          `l2: 127.0.0.1:${hostPort} → 172.30.${subnet.third}.${r.stdout.match(/172\.30\.\d+\.(\d+):80/)?.[1]}:80/tcp`,
        );
      });

      // Containerlab's exec.ExecCollection.Log / Dump shapes (tests/01-smoke/01-basic-flow.robot:
      // "Exec command with no filtering", "... with filtering and json output").
      test("exec by node and by label logs Containerlab's result block; --format json is keyed by container", () => {
        const r = run(["exec", "-t", file, "--node", "l1", "--cmd", "cat /hello.txt"]);
        expect(r.code).toBe(0);
        expect(r.stdout).toBe("");
        expect(r.stderr).toContain(
          `Executed command node=clab-${t.name}-l1 command="cat /hello.txt"\n  stdout=\n  │ hello from the host`,
        );
        const byLabel = run(["exec", "-t", file, "--label", "role=web", "--cmd", "hostname", "--format", "json"]);
        expect(JSON.parse(byLabel.stdout)).toEqual({
          [`clab-${t.name}-l2`]: [{ cmd: ["hostname"], "return-code": 0, stdout: "l2\n", stderr: "" }],
        });
        const failing = run(["exec", "-t", file, "--node", "l3", "--cmd", "false"]);
        expect(failing.code).not.toBe(0);
        expect(failing.stderr).toContain(`Failed to execute command command=false node=clab-${t.name}-l3 rc=1`);
      });
    });

    describe("lab down", () => {
      test("leaves no container, network, veth, hosts block or netns entry", () => {
        const r = run(["down", "--name", t.name]);
        expect(r.code).toBe(0);
        expect(leftovers(t.name, { network: net, hostIfs: [hostIf, mgmtIf] }, engine)).toEqual({
          containers: "",
          network: "",
          hosts: "0",
          netns: "0",
          hostIfs: [],
        });
        expect(sh(`ls /etc/ssh/ssh_config.d/clab-${t.name}.conf`).code).not.toBe(0);
        for (const tool of ["iptables", "ip6tables"])
          expect(sh(`${tool} -S DOCKER-USER`).stdout).not.toContain(bridgeName || "no bridge seen");
      });
    });
  });
}
