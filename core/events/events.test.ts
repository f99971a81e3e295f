import { describe, expect, test } from "bun:test";
import { eventFormatter } from "./format.ts";
import { parseLinkLine } from "./link-line.ts";
import { type LabEvent, rfc3339Nano } from "./types.ts";

describe("parseLinkLine (ip -o -d link / monitor)", () => {
  test.each([
    [
      "a veth in a node",
      "2: eth1@if7: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 9500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\\    link/ether aa:c1:ab:97:08:40 brd ff:ff:ff:ff:ff:ff link-netnsid 0 promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 \\    veth numtxqueues 2 numrxqueues 2 gso_max_size 65536 \\    altname clab-o-bbb7a50ac78f97df \\    alias ethernet-1/1",
      {
        deleted: false,
        index: 2,
        name: "eth1",
        mtu: 9500,
        state: "up",
        mac: "aa:c1:ab:97:08:40",
        type: "veth",
        alias: "ethernet-1/1",
      },
    ],
    [
      "loopback: no kind",
      "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00 promiscuity 0  allmulti 0 minmtu 0 maxmtu 0 addrgenmode eui64 numtxqueues 1",
      {
        deleted: false,
        index: 1,
        name: "lo",
        mtu: 65536,
        state: "unknown",
        mac: "00:00:00:00:00:00",
        type: "device",
        alias: "",
      },
    ],
    [
      "a deletion from ip monitor",
      "Deleted 695: vmx0@NONE: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN group default \\    link/ether 46:71:9b:41:cf:44 brd ff:ff:ff:ff:ff:ff promiscuity 0 \\    veth numtxqueues 2",
      {
        deleted: true,
        index: 695,
        name: "vmx0",
        mtu: 1500,
        state: "down",
        mac: "46:71:9b:41:cf:44",
        type: "veth",
        alias: "",
      },
    ],
  ])("%s", (_name, line, expected) => {
    expect(parseLinkLine(line)).toEqual(expected);
  });

  test("other lines are not interfaces", () => {
    expect(parseLinkLine("")).toBeUndefined();
    expect(parseLinkLine("    link/ether aa:bb:cc:dd:ee:ff")).toBeUndefined();
  });
});

describe("event formats (Containerlab's)", () => {
  const event: LabEvent = {
    timeNs: 1_764_000_000_123_456_700n,
    type: "interface",
    action: "update",
    actorId: "62ba77b79cd0",
    actorName: "clab-ap-r1",
    actorFullId: "62ba77b79cd03a00b5409cb59d33ede9",
    attributes: { state: "down", ifname: "eth1", alias: "" },
  };

  test("timestamps are RFC 3339 with nanoseconds, trailing zeros dropped", () => {
    expect(rfc3339Nano(event.timeNs)).toBe("2025-11-24T16:00:00.1234567Z");
    expect(rfc3339Nano(1_764_000_000_000_000_000n)).toBe("2025-11-24T16:00:00Z");
  });

  test("plain: timestamp type action actor (sorted k=v, name and id merged, empty values dropped)", () => {
    expect(eventFormatter("plain")(event)).toBe(
      "2025-11-24T16:00:00.1234567Z interface update 62ba77b79cd0 (id=62ba77b79cd03a00b5409cb59d33ede9, ifname=eth1, name=clab-ap-r1, state=down)",
    );
  });

  test("json: aggregatedEvent keys", () => {
    expect(JSON.parse(eventFormatter("JSON")(event))).toEqual({
      timestamp: "2025-11-24T16:00:00.1234567Z",
      type: "interface",
      action: "update",
      actor_id: "62ba77b79cd0",
      actor_name: "clab-ap-r1",
      actor_full_id: "62ba77b79cd03a00b5409cb59d33ede9",
      attributes: { id: "62ba77b79cd03a00b5409cb59d33ede9", ifname: "eth1", name: "clab-ap-r1", state: "down" },
    });
  });

  test("an unknown format is a usage error naming the ones there are", () => {
    expect(() => eventFormatter("xml")).toThrow('output format "xml" is not supported by lab events');
  });
});
