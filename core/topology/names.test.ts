import { describe, expect, test } from "bun:test";
import { type NameKind, nameProblem } from "./names.ts";

// The nasty names a topology, a URL's repository or a flag could carry: each must be refused where it
// would reach the kernel or another program's text.
const NASTY: [string, string][] = [
  ["a newline (ip -batch's next command)", "h1\nnetns add x"],
  ["a NUL", "h1\0x"],
  ["a space", "h 1"],
  ["a semicolon", "h1;reboot"],
  ["a command substitution", "$(touch /tmp/x)"],
  ["a backtick", "`id`"],
  ["a parent directory", ".."],
  ["a comment mark (ip -batch cuts the line there)", "h1#x"],
  ["non-ASCII", "eth1é"],
  ["a tab", "h1\tx"],
];

describe("names that reach the kernel or a command line", () => {
  const kernel: NameKind[] = ["interface", "bridge", "altname", "host-interface"];
  for (const kind of kernel)
    test.each(NASTY)(`${kind}: %s is refused`, (_what, name) => {
      expect(nameProblem(kind, name)).toBeString();
    });

  test.each(NASTY.filter(([w]) => w !== "a space"))("nos-interface: %s is refused", (_what, name) => {
    expect(nameProblem("nos-interface", name)).toBeString();
  });

  test.each(["node", "lab", "network", "container"] as NameKind[])("%s: every nasty name is refused", (kind) => {
    for (const [, name] of NASTY) expect(nameProblem(kind, name)).toBeString();
  });

  test("Linux's limits: 15 bytes for a name, 127 for an altname or a host name that becomes one", () => {
    expect(nameProblem("interface", "a".repeat(15))).toBeUndefined();
    expect(nameProblem("interface", "a".repeat(16))).toContain("16 bytes, over Linux's 15");
    expect(nameProblem("bridge", "a".repeat(16))).toContain("over Linux's 15");
    expect(nameProblem("host-interface", "a".repeat(16))).toBeUndefined();
    expect(nameProblem("altname", "a".repeat(128))).toContain("over Linux's 127");
    expect(nameProblem("interface", ".")).toBeString();
    expect(nameProblem("interface", "eth1/1")).toContain('"/" or ":"');
  });

  test("names Containerlab's own labs use are accepted", () => {
    for (const n of [
      "eth1",
      "e1-1",
      "ethernet-1/1",
      "1/1/c1/1",
      "et-0/0/0:1",
      "Gi 0/1",
      "GigabitEthernet0/0/0/1",
      "swp1",
    ])
      expect(nameProblem("nos-interface", n)).toBeUndefined();
    for (const n of ["eth1", "e1-1", "mgmt0", "vx-r1_eth1", "br-clab", "lo0.100"])
      expect(nameProblem("interface", n)).toBeUndefined();
    for (const n of ["srl1", "leaf-1", "client_2", "br01|bp1", "10.node"])
      expect(nameProblem("node", n)).toBeUndefined();
    expect(nameProblem("network", "clab")).toBeUndefined();
  });
});
