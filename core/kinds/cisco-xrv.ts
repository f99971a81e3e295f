import { portMap } from "./interfaces.ts";
import { vrnetlab } from "./vrnetlab.ts";

/** Cisco XRv, a vrnetlab VM (Containerlab: nodes/vr_xrv). */
export default vrnetlab({
  name: "cisco_xrv",
  aliases: ["vr-xrv", "vr-cisco_xrv"],
  credentials: { username: "clab", password: "clab@123" },
  platform: { scrapli: "cisco_iosxr", napalm: "iosxr" },
  interfaces: portMap(
    /(?:Gi|GigabitEthernet)\s?0\/0\/0\/(?<port>\d+)$/,
    0,
    "GigabitEthernet0/0/0/X or Gi0/0/0/X (where X >= 0) or ethX (where X >= 1)",
    { vm: true },
  ),
});
