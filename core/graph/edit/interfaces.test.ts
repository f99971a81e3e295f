// Proposals checked against each kind's own naming rule (Containerlab's, in core/kinds): a
// proposal a kind would refuse is a bug. Expected forms from Containerlab's docs per kind.
import { describe, expect, test } from "bun:test";
import { findKind, KINDS } from "../../kinds/index.ts";
import { interfaceName, nextInterface } from "./interfaces.ts";

describe("interface proposals", () => {
  test("every kind's proposals pass its own naming rule", () => {
    const refused: string[] = [];
    for (const kind of KINDS)
      for (const n of [1, 2, 9]) {
        const name = interfaceName(kind.name, n);
        const mapped = kind.interfaces ? kind.interfaces.map(name) : name;
        if (typeof mapped !== "string") refused.push(`${kind.name} ${name}: ${mapped.error}`);
      }
    expect(refused).toEqual([]);
  });

  test("the NOS's own names where Containerlab's docs use them", () => {
    expect(interfaceName("nokia_srlinux", 1)).toBe("e1-1");
    expect(interfaceName("srl", 3)).toBe("e1-3");
    expect(interfaceName("cisco_xrd", 1)).toBe("Gi0-0-0-0");
    expect(interfaceName("linux", 2)).toBe("eth2");
    expect(interfaceName("ceos", 1)).toBe("eth1");
    expect(interfaceName("cumulus_cvx", 1)).toBe("swp1");
    expect(findKind("juniper_vjunosrouter")).toBeDefined();
  });

  test("the next free one skips names in use, in either form", () => {
    expect(nextInterface("linux", [])).toBe("eth1");
    expect(nextInterface("linux", ["eth1", "eth2"])).toBe("eth3");
    // SR Linux: a link written ethernet-1/1 uses e1-1 as Linux sees it (both forms are given).
    expect(nextInterface("nokia_srlinux", ["ethernet-1/1", "e1-1"])).toBe("e1-2");
  });
});
