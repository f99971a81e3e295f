import { container } from "./vrnetlab.ts";

/** Cisco 8000 emulator (Containerlab: nodes/c8000). */
export default container({
  name: "cisco_c8000",
  aliases: ["c8000"],
  credentials: { username: "cisco", password: "cisco123" },
  platform: { scrapli: "cisco_iosxr", napalm: "iosxr" },
});
