import { portMap } from "./interfaces.ts";
import { vrnetlab } from "./vrnetlab.ts";

/** Juniper vSRX, a vrnetlab VM (Containerlab: nodes/vr_vsrx). */
export default vrnetlab({
  name: "juniper_vsrx",
  aliases: ["vr-vsrx", "vr-juniper_vsrx"],
  credentials: { username: "admin", password: "admin@123" },
  platform: { scrapli: "juniper_junos", napalm: "junos" },
  interfaces: portMap(/(?:et|xe|ge)-0\/0\/(?<port>\d+)$/, 0, "(et|xe|ge)-0/0/X (where X >= 0) or ethX (where X >= 1)", {
    vm: true,
  }),
});
