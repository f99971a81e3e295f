import { portMap } from "./interfaces.ts";
import { vrnetlab } from "./vrnetlab.ts";

/** Cisco CSR 1000v, a vrnetlab VM (Containerlab: nodes/vr_csr). */
export default vrnetlab({
  name: "cisco_csr1000v",
  aliases: ["vr-csr", "vr-cisco_csr1000v"],
  credentials: { username: "admin", password: "admin" },
  platform: { scrapli: "cisco_iosxe" },
  interfaces: portMap(
    /(?:Gi|GigabitEthernet)\s?(?<port>\d+)$/,
    2,
    "GiX or GigabitEthernetX (where X >= 2) or ethX (where X >= 1)",
    { vm: true },
  ),
});
