import { describe, expect, test } from "bun:test";
import { planDeploy } from "../deploy/plan.ts";
import type { LabError } from "../errors.ts";
import { resolveLab } from "../topology/index.ts";
import { parseTopology } from "../topology/load.ts";
import { hostsFromFlags, parseHostsFile } from "./definitions.ts";
import { crossingPairs, type HostPlacement, pairKey, placeNodes } from "./placement.ts";

const labOf = (body: string) =>
  resolveLab(
    parseTopology(
      {
        path: "/tmp/m.clab.yml",
        dir: "/tmp",
        templates: [],
        text: `name: m\nmgmt: { network: m, ipv4-subnet: 172.31.9.0/24 }\ntopology:\n  defaults: { image: img:1 }\n${body}`,
      },
      {},
    ),
    { env: {} },
  );

const error = (f: () => unknown): LabError => {
  try {
    f();
  } catch (e) {
    return e as LabError;
  }
  throw new Error("no error");
};

describe("host definitions", () => {
  test("--host NAME=URL", () => {
    expect(hostsFromFlags(["h2=ssh://root@10.0.0.2"])).toMatchObject([{ name: "h2", engine: "ssh://root@10.0.0.2" }]);
    expect(error(() => hostsFromFlags(["h2"])).message).toBe("--host h2: expected NAME=URL");
    expect(error(() => hostsFromFlags(["local=ssh://x"])).message).toContain('"local" is this machine');
    expect(error(() => hostsFromFlags(["h2=tcp://10.0.0.2:2376"])).message).toContain("a tcp:// engine needs ssh:");
    expect(error(() => hostsFromFlags(["h2=http://x"])).hint).toContain("ssh://user@host");
  });

  test("lab-hosts.yml: a map of hosts; an unknown key is its line", () => {
    const defs = parseHostsFile(
      "h2: { engine: ssh://root@10.0.0.2, underlay: 192.168.1.2 }\nh3:\n  engine: tcp://10.0.0.3:2376\n  ssh: ssh://root@10.0.0.3\n  cert-path: /etc/h3\n",
      "lab-hosts.yml",
    );
    expect(defs.map((d) => [d.name, d.engine, d.underlay ?? d.certPath])).toEqual([
      ["h2", "ssh://root@10.0.0.2", "192.168.1.2"],
      ["h3", "tcp://10.0.0.3:2376", "/etc/h3"],
    ]);
    expect(error(() => parseHostsFile("h2:\n  engine: ssh://x\n  port: 2\n", "f.yml")).message).toBe(
      "f.yml:3: h2.port: unknown key",
    );
    expect(error(() => parseHostsFile("h2: {}\n", "f.yml")).message).toBe("f.yml:1: h2: engine is missing");
  });
});

const TOPO = `  groups:
    far: { labels: { lab.host: h2 } }
  nodes:
    a: {}
    b: { group: far }
    c: { group: far, mgmt-ipv4: 172.31.9.10 }
  links:
    - endpoints: ["a:eth1", "b:eth1"]
    - endpoints: ["b:eth2", "c:eth1"]
      mtu: 9000
    - endpoints: ["a:eth2", "c:eth2"]
      mtu: 9000
`;
const defs = new Map(hostsFromFlags(["h2=ssh://root@10.9.0.2"]).map((d) => [d.name, d]));

describe("placement", () => {
  test("lab.host is inherited like any label; an undefined host is an error at its line", () => {
    const lab = labOf(TOPO);
    expect([...placeNodes(lab, defs)]).toEqual([
      ["b", "h2"],
      ["c", "h2"],
    ]);
    const e = error(() => placeNodes(lab, new Map()));
    expect(e.code).toBe("input");
    expect(e.message.split("\n")[0]).toMatch(
      /m\.clab\.yml:6:\d+: topology\.groups\.far\.labels\.lab\.host: node b is placed on host h2, which is not defined/,
    );
  });

  test("the plan: steps on h2 say so, links between hosts are a tunnel per side, addresses split", () => {
    const lab = labOf(TOPO);
    const nodeHost = placeNodes(lab, defs);
    expect(crossingPairs(lab, nodeHost)).toEqual([["local", "h2"]]);
    const placement: HostPlacement = {
      nodeHost,
      hosts: ["local", "h2"],
      pairs: new Map([
        [
          pairKey("local", "h2"),
          {
            sides: {
              local: { address: "10.9.0.1", dev: "u0", mtu: 1500 },
              h2: { address: "10.9.0.2", dev: "eth0", mtu: 1500 },
            },
            mtu: 1500,
            ipv6: false,
          },
        ],
      ]),
      vxlanPort: 23456,
    };
    const plan = planDeploy(lab, placement);
    expect(plan.hosts).toEqual({ names: ["local", "h2"], vxlanPort: 23456 });
    expect(plan.containers.map((c) => [c.node, c.host]).sort()).toEqual([
      ["a", undefined],
      ["b", "h2"],
      ["c", "h2"],
    ]);
    const ab = plan.links.filter((l) => l.label.startsWith("a:eth1"));
    expect(ab.map((l) => [l.type, l.host, l.vxlan?.remote, l.vxlan?.parent, l.mtu])).toEqual([
      ["vxlan", undefined, "10.9.0.2", "u0", 1450],
      ["vxlan", "h2", "10.9.0.1", "eth0", 1450],
    ]);
    expect(ab[0]?.vxlan?.vni).toBe(ab[1]?.vxlan?.vni as number);
    // A local link on h2 keeps its MTU; a declared MTU too big for the tunnel is capped, with a warning.
    expect(plan.links.find((l) => l.label === "b:eth2 ↔ c:eth1")).toMatchObject({
      type: "veth",
      host: "h2",
      mtu: 9000,
    });
    expect(plan.links.filter((l) => l.label.startsWith("a:eth2")).map((l) => l.mtu)).toEqual([1450, 1450]);
    expect(plan.warnings).toEqual([
      "link a:eth2 ↔ c:eth2: mtu 9000 does not fit the tunnel between local and h2 (underlay 1500 − 50): using 1450",
    ]);
    const ranges = ["local", "h2"].map((h) => plan.network.hosts?.[h]?.IPAM?.Config?.[0]);
    expect(ranges.map((c) => c?.IPRange)).toEqual(["172.31.9.0/25", "172.31.9.128/25"]);
    // c's static address is reserved on the other host's network.
    expect(ranges[0]?.AuxiliaryAddresses).toEqual({ c: "172.31.9.10" });
    expect(ranges[1]?.AuxiliaryAddresses).toBeUndefined();
  });

  test("a one-host lab plans as before: no host fields, no per-host networks", () => {
    const plan = planDeploy(labOf(TOPO.replace("    far: { labels: { lab.host: h2 } }\n", "    far: {}\n")));
    expect(plan.hosts).toBeUndefined();
    expect(plan.network.hosts).toBeUndefined();
    expect(plan.containers.every((c) => c.host === undefined)).toBe(true);
    expect(plan.links.every((l) => l.host === undefined && l.type === "veth")).toBe(true);
  });
});
