import { portMap } from "./interfaces.ts";
import { vrnetlab } from "./vrnetlab.ts";

/** MikroTik RouterOS, a vrnetlab VM (Containerlab: nodes/vr_ros). */
export default vrnetlab({
  name: "mikrotik_ros",
  aliases: ["vr-ros", "vr-mikrotik_ros"],
  credentials: { username: "admin", password: "admin" },
  platform: { scrapli: "mikrotik_routeros" },
  interfaces: portMap(/ether(?<port>\d+)/, 2, "etherX (where X >= 2) or ethX (where X >= 1)", { vm: true }),
});
