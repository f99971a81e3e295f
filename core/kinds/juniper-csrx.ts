import { container } from "./vrnetlab.ts";

/** Juniper cSRX (Containerlab: nodes/juniper_csrx). */
export default container({
  name: "juniper_csrx",
  aliases: [],
  credentials: { username: "root", password: "clab123" },
  platform: { scrapli: "juniper_junos", napalm: "junos" },
});
