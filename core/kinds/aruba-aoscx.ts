import { portMap } from "./interfaces.ts";
import { vrnetlab } from "./vrnetlab.ts";

/** Aruba AOS-CX, a vrnetlab VM (Containerlab: nodes/vr_aoscx). */
export default vrnetlab({
  name: "aruba_aoscx",
  aliases: ["vr-aoscx", "vr-aruba_aoscx"],
  credentials: { username: "admin", password: "admin" },
  platform: { scrapli: "aruba_aoscx" },
  interfaces: portMap(/1\/1\/(?<port>\d+)/, 1, "1/1/X (where X >= 1) or ethX (where X >= 1)", { vm: true }),
});
