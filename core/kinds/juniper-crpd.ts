import { container } from "./vrnetlab.ts";

/** Juniper cRPD (Containerlab: nodes/crpd). */
export default container({
  name: "juniper_crpd",
  aliases: ["crpd"],
  credentials: { username: "root", password: "clab123" },
  platform: { scrapli: "juniper_junos", napalm: "junos" },
});
