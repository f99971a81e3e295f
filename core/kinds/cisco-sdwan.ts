import { portMap } from "./interfaces.ts";
import { vrnetlab } from "./vrnetlab.ts";

/** Cisco SD-WAN, a vrnetlab VM (Containerlab: nodes/cisco_sdwan). */
export default vrnetlab({
  name: "cisco_sdwan",
  aliases: [],
  credentials: { username: "admin", password: "admin" },
  platform: { scrapli: "cisco_iosxe" },
  interfaces: portMap(/eth(?<port>\d+)$/, 1, "ethX (where X >= 1)", { vm: true }),
});
