import { expect, test } from "bun:test";
import { setupLines } from "./links.ts";

// An IPv6 address added while the interface is up is tentative until duplicate address detection
// ends (ip-address(8): `nodad` skips it); a lab's link addresses are its own.
test("link addresses: IPv6 without duplicate address detection, IPv4 as given", () => {
  const lines = setupLines(
    {
      where: "container",
      node: "r1",
      container: "clab-x-r1",
      iface: "eth1",
      mac: "aa:c1:ab:00:00:01",
      addresses: ["10.0.0.1/30", "2001:db8::1/64"],
    },
    "link r1:eth1",
  ).map((l) => l.argv.join(" "));
  expect(lines).toContain("addr add 10.0.0.1/30 dev eth1");
  expect(lines).toContain("addr add 2001:db8::1/64 dev eth1 nodad");
});
