import { vrnetlab } from "./vrnetlab.ts";

/** Dell Enterprise SONiC as a vrnetlab VM (Containerlab: nodes/dell_sonic). */
export default vrnetlab({
  name: "dell_sonic",
  aliases: [],
  credentials: { username: "admin", password: "admin" },
  platform: { scrapli: "sonic" },
  interfaces: undefined,
});
