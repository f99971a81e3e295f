import { expect, test } from "bun:test";
import { noProxyEntries, noProxyValue } from "./no-proxy.ts";

// Containerlab's tests/01-smoke/01-basic-flow.robot "Ensure default no_proxy env var is set".
test("01-linux-nodes.clab.yml: the value Containerlab's smoke test expects", () => {
  const entries = noProxyEntries(
    {
      l1: { "mgmt-ipv4": "172.20.20.99", "mgmt-ipv6": "3fff:172:20:20::99" },
      l2: { "mgmt-ipv4": "172.20.20.100", "mgmt-ipv6": "3fff:172:20:20::100" },
      l3: {},
    },
    { ipv4Subnet: "172.20.20.0/24", ipv6Subnet: "3fff:172:20:20::/64" },
  );
  expect(noProxyValue({}, entries.join(","))).toBe(
    "localhost,127.0.0.1,::1,*.local,172.20.20.0/24,172.20.20.100,172.20.20.99,3fff:172:20:20::/64,3fff:172:20:20::100,3fff:172:20:20::99,l1,l2,l3",
  );
});

test("a node's own no_proxy is kept, with the defaults it lacks added (core/config.go)", () => {
  expect(noProxyValue({ no_proxy: "corp.example,localhost" }, "a")).toBe(
    "corp.example,localhost,127.0.0.1,::1,*.local,a",
  );
});
