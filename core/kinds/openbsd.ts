import { portMap } from "./interfaces.ts";
import { vrnetlab } from "./vrnetlab.ts";

/** OpenBSD, a vrnetlab VM (Containerlab: nodes/vr_openbsd). */
export default vrnetlab({
  name: "openbsd",
  aliases: [],
  credentials: { username: "admin", password: "admin" },
  interfaces: portMap(/vio(?<port>\d+)/, 1, "vioX (where X >= 1) or ethX (where X >= 1)", { vm: true }),
});
