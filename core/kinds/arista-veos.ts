import { portMap } from "./interfaces.ts";
import { vrnetlab } from "./vrnetlab.ts";

/** Arista vEOS, a vrnetlab VM (Containerlab: nodes/vr_veos). */
export default vrnetlab({
  name: "arista_veos",
  aliases: ["vr-veos", "vr-arista_veos"],
  credentials: { username: "admin", password: "admin" },
  platform: { scrapli: "arista_eos", napalm: "eos" },
  interfaces: portMap(
    /(?:Et|Ethernet)1\/(?<port>\d+)/,
    1,
    "Et1/X or Ethernet1/X (where X >= 1) or ethX (where X >= 1)",
    { vm: true },
  ),
});
