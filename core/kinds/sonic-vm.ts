import { vrnetlab } from "./vrnetlab.ts";

/** SONiC (VM), a vrnetlab VM (Containerlab: nodes/sonic_vm). */
export default vrnetlab({
  name: "sonic-vm",
  aliases: [],
  credentials: { username: "admin", password: "admin" },
  platform: { scrapli: "sonic" },
});
