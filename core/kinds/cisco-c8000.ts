import { xrFirstBootConfig } from "./cisco-xrd.ts";
import { container } from "./vrnetlab.ts";

/**
 * Cisco 8000 emulator (Containerlab: nodes/c8000): IOS XR's first-boot configuration at
 * /startup.cfg (the user Containerlab's template creates is cisco123), a certificate, save over
 * NETCONF, and XR's 8000 port names.
 */
export default container({
  name: "cisco_c8000",
  aliases: ["c8000"],
  binds: ["__clabNodeDir__/first-boot.cfg:/startup.cfg"],
  startupConfig: "first-boot.cfg",
  defaultConfig: xrFirstBootConfig("cisco123", "cisco123"),
  saveNetconf: true,
  credentials: { username: "cisco", password: "cisco123" },
  platform: { scrapli: "cisco_iosxr", napalm: "iosxr" },
  interfaces: {
    help: "Fi0_0_0_X (50G), Hu0_0_0_X (100G) or FH0_0_0_X (400G) where X is the interface number",
    map: (name) =>
      /^(Fi|Hu|FH)0_0_0_\d+$/.test(name)
        ? name
        : {
            error: `cisco 8000 interface name "${name}" doesn't match the required pattern. Cisco 8000 interfaces should be named as Fi0_0_0_X (50G interfaces), Hu0_0_0_X (100G interfaces) or FH0_0_0_X (400G interfaces) where X is the interface number`,
          },
  },
});
