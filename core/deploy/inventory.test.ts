import { describe, expect, test } from "bun:test";
import { resolveLab } from "../topology/index.ts";
import { parseTopology } from "../topology/load.ts";
import type { LabContainer } from "./inspect.ts";
import { ansibleInventory, nornirInventory } from "./inventory.ts";

// Expected texts are what Containerlab's inventory templates (core/assets/*.go.tpl) print for the
// same lab, worked out line by line from the templates and core/inventory.go.

const lab = resolveLab(
  parseTopology(
    {
      path: "/tmp/inv.clab.yml",
      dir: "/tmp",
      templates: [],
      text: `name: inv
topology:
  defaults: { image: "i:1" }
  kinds:
    nokia_srlinux: { credentials: { username: ops } }
  nodes:
    l1: { labels: { ansible-group: web, nornir-group-b: blue, nornir-group-a: alpha } }
    l2: { labels: { ansible-no-host-var: "true" } }
    s1: { kind: srl }
    s2: { kind: nokia_srlinux, credentials: { username: me, password: pw } }
    c1: { kind: ceos }
  links:
    - endpoints: [l1:eth1, c1:Ethernet1]
      ipv4: [10.0.0.1/30, 10.0.0.2/30]
`,
    },
    {},
  ),
  { env: {} },
);
const containers = ["c1", "l1", "l2", "s1", "s2"].map(
  (node, i) => ({ node, ipv4: `172.20.20.${i + 2}/24` }) as LabContainer,
);

describe("inventories as Containerlab writes them", () => {
  test("ansible-inventory.yml", () => {
    expect(ansibleInventory(lab, containers)).toBe(`all:
  vars:
    # The generated inventory is assumed to be used from the clab host.
    # Hence no http proxy should be used. Therefore we make sure the http
    # module does not attempt using any global http proxy.
    ansible_httpapi_use_proxy: false
  children:
    ceos:
      vars:
        # ansible_connection: set ansible_connection variable if required
        ansible_user: admin
        ansible_password: admin
      hosts:
        clab-inv-c1:
          ansible_host: 172.20.20.2
          lab_interfaces:
            Ethernet1:
              ipv4: 10.0.0.2/30
    linux:
      hosts:
        clab-inv-l1:
          ansible_host: 172.20.20.3
          lab_interfaces:
            eth1:
              ipv4: 10.0.0.1/30
        clab-inv-l2:
    nokia_srlinux:
      vars:
        ansible_network_os: nokia.srlinux.srlinux
        # default connection type for nodes of this kind
        # feel free to override this in your inventory
        ansible_connection: ansible.netcommon.httpapi
        ansible_user: ops
        ansible_password: pw
      hosts:
        clab-inv-s2:
          ansible_host: 172.20.20.6
          ansible_user: me
          ansible_password: pw
    srl:
      vars:
        ansible_network_os: nokia.srlinux.srlinux
        # default connection type for nodes of this kind
        # feel free to override this in your inventory
        ansible_connection: ansible.netcommon.httpapi
        ansible_user: admin
        ansible_password: NokiaSrl1!
      hosts:
        clab-inv-s1:
          ansible_host: 172.20.20.5
    web:
      hosts:
        clab-inv-l1:
          ansible_host: 172.20.20.3
          lab_interfaces:
            eth1:
              ipv4: 10.0.0.1/30
`);
  });
  test("nornir-simple-inventory.yml, and the platform names on demand", () => {
    expect(nornirInventory(lab, containers)).toBe(
      `---
c1:
    username: admin
    password: admin
    platform: ceos
    hostname: 172.20.20.2
    data:
      interfaces:
        Ethernet1:
          ipv4: 10.0.0.2/30
l1:
    username: 
    password: 
    platform: linux
    hostname: 172.20.20.3
    groups:
      - alpha
      - blue
    data:
      interfaces:
        eth1:
          ipv4: 10.0.0.1/30
l2:
    username: 
    password: 
    platform: linux
    hostname: 172.20.20.4
nokia_srlinux:
`.replace("nokia_srlinux:\n", "") +
        `s2:
    username: me
    password: pw
    platform: nokia_srlinux
    hostname: 172.20.20.6
s1:
    username: admin
    password: NokiaSrl1!
    platform: srl
    hostname: 172.20.20.5
`,
    );
    expect(nornirInventory(lab, containers, "napalm")).toContain(
      "c1:\n    username: admin\n    password: admin\n    platform: eos\n",
    );
    expect(nornirInventory(lab, containers, "scrapli")).toContain("platform: arista_eos");
  });
});
