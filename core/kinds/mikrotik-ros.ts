import { portMap } from "./interfaces.ts";
import { vrnetlab } from "./vrnetlab.ts";

/**
 * RouterOS's `export` without the management address (ether1 in /ip address): the VM gets that one
 * from vrnetlab at every boot, and a saved copy would clash with the next lab's (Containerlab's
 * filterManagementInterfaceConfig).
 */
export function withoutMgmtAddress(config: string): string {
  let inIpAddress = false;
  return config
    .trim()
    .split("\n")
    .filter((line) => {
      const t = line.trim();
      if (t.startsWith("/")) inIpAddress = t === "/ip address";
      return !(inIpAddress && t.startsWith("add address=") && t.split(/\s+/).includes("interface=ether1"));
    })
    .join("\n");
}

/** MikroTik RouterOS, a vrnetlab VM (Containerlab: nodes/vr_ros): boots from ftpboot/config.auto.rsc. */
export default vrnetlab({
  name: "mikrotik_ros",
  aliases: ["vr-ros", "vr-mikrotik_ros"],
  credentials: { username: "admin", password: "admin" },
  platform: { scrapli: "mikrotik_routeros" },
  binds: ["__clabNodeDir__/ftpboot:/ftpboot"],
  startupConfig: "ftpboot/config.auto.rsc",
  // Saved as Containerlab's SaveConfig does: `export` over SSH, the management address left out.
  saveCli: "export",
  saveFilter: withoutMgmtAddress,
  interfaces: portMap(/ether(?<port>\d+)/, 2, "etherX (where X >= 2) or ethX (where X >= 1)", { vm: true }),
});
