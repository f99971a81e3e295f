import { portMap } from "./interfaces.ts";
import { vrnetlab } from "./vrnetlab.ts";

/** Cisco Nexus 9000v, a vrnetlab VM (Containerlab: nodes/vr_n9kv). */
export default vrnetlab({
  name: "cisco_n9kv",
  aliases: ["vr-n9kv", "vr-cisco_n9kv"],
  credentials: { username: "admin", password: "admin" },
  platform: { scrapli: "cisco_nxos", napalm: "nxos" },
  interfaces: portMap(
    /(?:Ethernet|Et)\s?1\/(?<port>\d+)/,
    1,
    "Ethernet1/X or Et1/X (where X >= 1) or ethX (where X >= 1)",
    { vm: true },
  ),
});
