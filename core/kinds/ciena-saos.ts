import { portMap } from "./interfaces.ts";
import { vrnetlab } from "./vrnetlab.ts";

/** Ciena SAOS, a vrnetlab VM (Containerlab: nodes/ciena_saos). */
export default vrnetlab({
  name: "ciena_saos",
  aliases: ["vr-ciena_saos"],
  credentials: { username: "diag", password: "ciena123" },
  interfaces: portMap(/^(?<port>[1-9]\d*)$/, 1, "X (where X >= 1) or ethX (where X >= 1)", { vm: true }),
});
