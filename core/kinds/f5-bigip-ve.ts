import { portMap } from "./interfaces.ts";
import { vrnetlab } from "./vrnetlab.ts";

/** F5 BIG-IP VE: data interfaces 1.1, 1.2, … are eth1, eth2, … (Containerlab: nodes/f5_bigipve). */
export default vrnetlab({
  name: "f5_bigip-ve",
  aliases: [],
  credentials: { username: "admin", password: "Labl@b!234" },
  interfaces: portMap(/^1\.(?<port>\d+)$/, 1, "1.X (where X >= 1) or ethX (where X >= 1)", { vm: true }),
});
