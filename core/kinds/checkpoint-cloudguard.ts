import { vrnetlab } from "./vrnetlab.ts";

/** Check Point CloudGuard, a vrnetlab VM (Containerlab: nodes/checkpoint_cloudguard). */
export default vrnetlab({
  name: "checkpoint_cloudguard",
  aliases: [],
  credentials: { username: "admin", password: "admin" },
  // Its Init binds nothing (a startup-config is still written to config/, as VRNode does).
  binds: [],
  envBinds: () => [],
  platform: { scrapli: "notsupported" },
});
