import { container } from "./vrnetlab.ts";

/** VyOS (Containerlab: nodes/vyosnetworks_vyos). */
export default container({
  name: "vyosnetworks_vyos",
  aliases: [],
  credentials: { username: "admin", password: "admin" },
  platform: { scrapli: "vyatta_vyos", napalm: "vyos" },
});
