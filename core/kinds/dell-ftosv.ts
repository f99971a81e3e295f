import { vrnetlab } from "./vrnetlab.ts";

/** Dell FTOS (OS10), a vrnetlab VM (Containerlab: nodes/vr_ftosv). */
export default vrnetlab({
  name: "dell_ftosv",
  aliases: ["vr-ftosv", "vr-dell_ftosv"],
  credentials: { username: "admin", password: "admin" },
  platform: { scrapli: "dell_emc" },
});
