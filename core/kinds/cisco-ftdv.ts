import { portMap } from "./interfaces.ts";
import { vrnetlab } from "./vrnetlab.ts";

/** Cisco Firepower Threat Defense virtual, a vrnetlab VM (Containerlab: nodes/vr_ftdv). */
export default vrnetlab({
  name: "cisco_ftdv",
  aliases: [],
  credentials: { username: "admin", password: "Admin@123" },
  // Its Init binds no config dir (a startup-config is still written there, as VRNode does).
  binds: [],
  platform: { scrapli: "cisco_ftd" },
  interfaces: portMap(
    /(?:GigabitEthernet|Gi)\s?0\/(?<port>\d+)/,
    0,
    "GigabitEthernet0/X or Gi0/X (where X >= 0) or ethX (where X >= 1)",
    { vm: true },
  ),
});
