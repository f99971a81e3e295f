import { portMap } from "./interfaces.ts";
import { vrnetlab } from "./vrnetlab.ts";

/** Cisco ASAv, a vrnetlab VM (Containerlab: nodes/cisco_asav). */
export default vrnetlab({
  name: "cisco_asav",
  aliases: [],
  credentials: { username: "admin", password: "CiscoAsa1!" },
  platform: { scrapli: "cisco_asa" },
  interfaces: portMap(
    /(?:GigabitEthernet|Gi)\s?0\/(?<port>\d+)/,
    0,
    "GigabitEthernet0/X or Gi0/X (where X >= 0) or ethX (where X >= 1)",
    { vm: true },
  ),
});
