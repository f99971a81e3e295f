import { container } from "./vrnetlab.ts";

/** Cisco XRd (Containerlab: nodes/xrd). */
export default container({
  name: "cisco_xrd",
  aliases: ["xrd"],
  credentials: { username: "clab", password: "clab@123" },
  platform: { scrapli: "cisco_iosxr", napalm: "iosxr" },
});
