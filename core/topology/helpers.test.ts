import { describe, expect, test } from "bun:test";
import { cidrContains, parseCidr, parseIP } from "./ip.ts";
import { parsePortSpec } from "./ports.ts";
import { parseDuration, parseSize, shellSplit } from "./units.ts";

describe("ip", () => {
  const inside = (cidr: string, ip: string) => cidrContains(parseCidr(cidr)!, parseIP(ip)!);
  test("v4 and v6 containment", () => {
    expect(inside("172.20.20.0/24", "172.20.20.5")).toBe(true);
    expect(inside("172.20.20.0/24", "172.20.21.5")).toBe(false);
    expect(inside("3fff:172:20:20::/64", "3fff:172:20:20::5")).toBe(true);
    expect(inside("3fff:172:20:20::/64", "3fff:172:20:21::5")).toBe(false);
    expect(inside("172.20.20.0/24", "3fff:172:20:20::5")).toBe(false);
  });
  test("rejects malformed addresses", () => {
    for (const bad of ["1.2.3", "1.2.3.256", "::1::2", "gggg::1", "1:2:3:4:5:6:7"])
      expect(parseIP(bad)).toBeUndefined();
    expect(parseIP("::ffff:1.2.3.4")?.family).toBe(6);
  });
});

describe("parsePortSpec", () => {
  const cases: [string, unknown][] = [
    ["80", [{ hostIp: "", hostPort: "", containerPort: 80, protocol: "tcp" }]],
    ["8080:80", [{ hostIp: "", hostPort: "8080", containerPort: 80, protocol: "tcp" }]],
    ["55555:43555/udp", [{ hostIp: "", hostPort: "55555", containerPort: 43555, protocol: "udp" }]],
    ["127.0.0.1:8080:80", [{ hostIp: "127.0.0.1", hostPort: "8080", containerPort: 80, protocol: "tcp" }]],
    ["127.0.0.1::80", [{ hostIp: "127.0.0.1", hostPort: "", containerPort: 80, protocol: "tcp" }]],
    ["[::1]:8080:80", [{ hostIp: "::1", hostPort: "8080", containerPort: 80, protocol: "tcp" }]],
    [
      "8000-8001:80-81",
      [
        { hostIp: "", hostPort: "8000", containerPort: 80, protocol: "tcp" },
        { hostIp: "", hostPort: "8001", containerPort: 81, protocol: "tcp" },
      ],
    ],
    ["9000-9010:80", [{ hostIp: "", hostPort: "9000-9010", containerPort: 80, protocol: "tcp" }]],
  ];
  for (const [spec, out] of cases) test(spec, () => expect(parsePortSpec(spec)).toEqual(out as never));
  test("errors are sentences", () => {
    expect(parsePortSpec("80/xyz")).toContain("protocol must be");
    expect(parsePortSpec("70000")).toContain("container port");
    expect(parsePortSpec("a:b:c:d")).toContain("not in the form");
    expect(parsePortSpec("8000-8002:80-81")).toContain("differ in length");
  });
});

describe("units", () => {
  test("parseSize", () => {
    // go-humanize's ParseBytes, as Containerlab reads memory: (01-basic-flow: 1G = 1000000000).
    expect(parseSize("512MiB")).toBe(512 * 1024 ** 2);
    expect(parseSize("1G")).toBe(1000000000);
    expect(parseSize("1Gb")).toBe(1e9);
    expect(parseSize("1g")).toBe(1e9);
    expect(parseSize("2Gi")).toBe(2 * 1024 ** 3);
    expect(parseSize("1.5 GB")).toBe(1.5e9);
    expect(parseSize(100)).toBe(100);
    expect(parseSize("lots")).toBeUndefined();
  });
  test("parseDuration (Go's, and a bare number as seconds)", () => {
    expect(parseDuration("1s")).toBe(1000);
    expect(parseDuration("250ms")).toBe(250);
    expect(parseDuration("1m30s")).toBe(90_000);
    expect(parseDuration("2")).toBe(2000);
    expect(parseDuration("1x")).toBeUndefined();
    expect(parseDuration("s")).toBeUndefined();
  });
  test("shellSplit", () => {
    expect(shellSplit(`sh -c 'echo "hi there"; exit 1'`)).toEqual(["sh", "-c", 'echo "hi there"; exit 1']);
    expect(shellSplit(`a "b c" d\\ e ''`)).toEqual(["a", "b c", "d e", ""]);
  });
});
