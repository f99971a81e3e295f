// Bad input to lab up: each case is one clear error line, a non-zero exit, and nothing left behind.
import { afterAll, describe, expect, test } from "bun:test";
import { createServer, type Server } from "node:net";
import { freePort, lab, sh } from "../helpers/env.ts";
import { errorLines, freeSubnet, labDir, leftovers } from "../helpers/lab.ts";

const t = labDir("e2e-bad");
const subnet = freeSubnet();
const base = (nodes: string, extra = "") => `name: ${t.name}
mgmt: { network: ${t.name}, ipv4-subnet: ${subnet.v4} }
topology:
  defaults: { image: lab-test/linux:1 }
  nodes:
${nodes}
${extra}`;

let server: Server | undefined;
afterAll(() => {
  server?.close();
  t.cleanup();
});

function expectRejected(
  file: string,
  code: number,
  message: string | RegExp,
  options: { env?: Record<string, string>; progress?: boolean } = {},
) {
  const r = lab(["up", "-t", file], options);
  // Failures after deploy started follow progress lines; the error itself is still one line.
  const lines = errorLines(r.stderr).filter((l) => !options.progress || /ERROR|\[error\]/.test(l));
  expect(lines).toHaveLength(1);
  if (typeof message === "string") expect(lines[0]).toContain(message);
  else expect(lines[0]).toMatch(message);
  expect(r.code).toBe(code);
  expect(r.stdout).toBe("");
  expect(leftovers(t.name, { network: t.name })).toMatchObject({ containers: "", network: "", hosts: "0", netns: "0" });
}

describe("lab up rejects bad input in one line and leaves nothing behind", () => {
  test("unknown key", () => {
    const file = t.write("a.clab.yml", base("    n1: { imagee: x }"));
    expectRejected(file, 3, 'a.clab.yml:6:11: topology.nodes.n1.imagee: unknown key "imagee" (did you mean "image"?)');
  });

  test("unknown kind lists the supported ones", () => {
    const file = t.write("b.clab.yml", base("    n1: { kind: juniper_mx }"));
    expectRejected(
      file,
      3,
      /topology\.nodes\.n1\.kind: unknown kind "juniper_mx" \(did you mean "juniper_vmx"\? supported kinds: 6wind_vsr, arista_ceos, .*, linux, /,
    );
  });

  test("link to an unknown node", () => {
    const file = t.write(
      "c.clab.yml",
      base("    n1: {}\n    n2: {}", '  links:\n    - endpoints: ["n1:eth1", "n3:eth1"]'),
    );
    expectRejected(file, 3, 'names unknown node "n3"');
  });

  test("interface used twice", () => {
    const file = t.write(
      "d.clab.yml",
      base(
        "    n1: {}\n    n2: {}",
        '  links:\n    - endpoints: ["n1:eth1", "n2:eth1"]\n    - endpoints: ["n1:eth1", "n2:eth2"]',
      ),
    );
    expectRejected(file, 3, "interface n1:eth1 is used by more than one link");
  });

  test("duplicate static IP", () => {
    const ip = `172.30.${subnet.third}.20`;
    const file = t.write("e.clab.yml", base(`    n1: { mgmt-ipv4: ${ip} }\n    n2: { mgmt-ipv4: ${ip} }`));
    expectRejected(file, 3, `mgmt-ipv4 ${ip} is also the address of node n1`);
  });

  test("IP outside the subnet", () => {
    const file = t.write("f.clab.yml", base("    n1: { mgmt-ipv4: 10.200.0.5 }"));
    expectRejected(file, 3, `mgmt-ipv4 10.200.0.5 is outside the management subnet ${subnet.v4}`);
  });

  test("host port already in use", async () => {
    const port = await freePort();
    server = createServer().listen(port, "127.0.0.1");
    await new Promise((r) => server?.once("listening", r));
    const file = t.write("g.clab.yml", base(`    n1: { ports: ["127.0.0.1:${port}:80"] }`));
    expectRejected(file, 6, `node n1: host port 127.0.0.1:${port}/tcp (ports) is already in use`);
  });

  test("missing image with pull policy Never", () => {
    const file = t.write("h.clab.yml", base(`    n1: { image: "lab-test/${t.name}:none", image-pull-policy: Never }`));
    expectRejected(
      file,
      3,
      `image lab-test/${t.name}:none is not in the engine and image-pull-policy is Never (node n1)`,
    );
  });

  test("missing bind source", () => {
    const file = t.write("i.clab.yml", base('    n1: { binds: ["./nowhere/file:/file"] }'));
    expectRejected(file, 3, `bind source ${t.dir}/nowhere/file does not exist`);
  });

  test("wait-for cycle", () => {
    const file = t.write(
      "j.clab.yml",
      base(
        "    n1: { stages: { create: { wait-for: [{ node: n2 }] } } }\n    n2: { stages: { create: { wait-for: [{ node: n1 }] } } }",
      ),
    );
    expectRejected(file, 3, "dependency cycle: n1 → n2 → n1");
  });

  test("Docker Engine unreachable", () => {
    const file = t.write("k.clab.yml", base("    n1: {}"));
    expectRejected(
      file,
      4,
      "cannot reach the Docker Engine at unix:///nope.sock: no such socket. Is dockerd running? Set DOCKER_HOST to use another.",
      { env: { DOCKER_HOST: "unix:///nope.sock" } },
    );
  });

  test("an external container for network-mode must exist", () => {
    const file = t.write("l.clab.yml", base("    n1: { network-mode: container:ghost-container-that-does-not-exist }"));
    expectRejected(
      file,
      3,
      "network-mode container:ghost-container-that-does-not-exist names no lab node and no existing container",
    );
  });

  test("a host interface a link would create exists already (a bridge port, a host link)", () => {
    const taken = `lx${t.name.slice(-6)}`;
    sh(`ip link add ${taken} type veth peer name ${taken}p`);
    try {
      const file = t.write("n.clab.yml", base("    n1: {}", `  links:\n    - endpoints: ["n1:eth1", "host:${taken}"]`));
      expectRejected(
        file,
        6,
        `link n1:eth1 ↔ host:${taken}: host interface ${taken} already exists; remove it (ip link del ${taken}) or pick another name`,
      );
    } finally {
      sh(`ip link del ${taken}`);
    }
  });

  test("a macvlan parent that does not exist", () => {
    const file = t.write(
      "o.clab.yml",
      base(
        "    n1: {}",
        "  links:\n    - { type: macvlan, host-interface: nosuchnic0, endpoint: { node: n1, interface: eth1 } }",
      ),
    );
    expectRejected(
      file,
      3,
      "link n1:eth1 → macvlan:nosuchnic0: the parent interface nosuchnic0 does not exist on this host",
    );
  });

  test("a failure during deploy rolls back what this run created", () => {
    // n1 has a static IP, so it is created first; n2 then fails to start.
    const file = t.write(
      "m.clab.yml",
      base(`    n1: { mgmt-ipv4: 172.30.${subnet.third}.30 }\n    n2: { entrypoint: /no/such/binary }`),
    );
    expectRejected(file, 3, /exec: "\/no\/such\/binary": stat \/no\/such\/binary: no such file or directory/, {
      progress: true,
    });
  });
});
