import { portMap } from "./interfaces.ts";
import { vrnetlab } from "./vrnetlab.ts";

/** Cisco vIOS, a vrnetlab VM (Containerlab: nodes/cisco_vios). */
export default vrnetlab({
  name: "cisco_vios",
  aliases: [],
  credentials: { username: "admin", password: "admin" },
  platform: { scrapli: "cisco_ios" },
  interfaces: portMap(
    /(?:Gi|GigabitEthernet)\s?(?<port>\d+)$/,
    0,
    "GiX or GigabitEthernetX (where X >= 0) or ethX (where X >= 1)",
    { vm: true },
  ),
});
