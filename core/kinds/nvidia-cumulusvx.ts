import { portMap } from "./interfaces.ts";
import { vrnetlab } from "./vrnetlab.ts";

/** NVIDIA Cumulus VX, a vrnetlab VM (Containerlab: nodes/nvidia_cumulusvx). */
export default vrnetlab({
  name: "nvidia_cumulusvx",
  aliases: [],
  credentials: { username: "cumulus", password: "Clab123!" },
  interfaces: portMap(/swp(?<port>\d+)/, 1, "swpX (where X >= 1) or ethX (where X >= 1)", { vm: true }),
});
