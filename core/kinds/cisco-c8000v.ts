import { portMap } from "./interfaces.ts";
import { vrnetlab } from "./vrnetlab.ts";

/** Cisco Catalyst 8000V, a vrnetlab VM (Containerlab: nodes/vr_c8000v). */
export default vrnetlab({
  name: "cisco_c8000v",
  aliases: [],
  credentials: { username: "admin", password: "admin" },
  platform: { scrapli: "cisco_iosxe" },
  // The VM runs autonomous (IOS-XE) or controller (SD-WAN) mode; vrnetlab reads it from MODE.
  types: { valid: ["autonomous", "controller"], default: "autonomous" },
  typeEnv: (mode) => ({ MODE: mode }),
  interfaces: portMap(
    /(?:Gi|GigabitEthernet)\s?(?<port>\d+)$/,
    2,
    "GiX or GigabitEthernetX (where X >= 2) or ethX (where X >= 1)",
    { vm: true },
  ),
});
