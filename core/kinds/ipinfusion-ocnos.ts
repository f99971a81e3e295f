import { vrnetlab } from "./vrnetlab.ts";

/** IP Infusion OcNOS, a vrnetlab VM (Containerlab: nodes/ipinfusion_ocnos). */
export default vrnetlab({
  name: "ipinfusion_ocnos",
  aliases: [],
  credentials: { username: "admin", password: "admin@123" },
  // Its Init binds nothing (a startup-config is still written to config/, as VRNode does).
  binds: [],
  envBinds: () => [],
  platform: { scrapli: "ipinfusion_ocnos" },
});
