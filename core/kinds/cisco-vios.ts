import { portMap } from "./interfaces.ts";
import { vrnetlab } from "./vrnetlab.ts";

/** Cisco vIOS, a vrnetlab VM (Containerlab: nodes/cisco_vios). */
export default vrnetlab({
  name: "cisco_vios",
  aliases: [],
  // As Containerlab's Init sets them (the node's env overrides).
  env: { CONNECTION_MODE: "tc", CLAB_MGMT_PASSTHROUGH: "true" },
  credentials: { username: "admin", password: "admin" },
  platform: { scrapli: "cisco_ios" },
  interfaces: portMap(
    /(?:Gi|GigabitEthernet)\s?(?<port>\d+)$/,
    0,
    "GiX or GigabitEthernetX (where X >= 0) or ethX (where X >= 1)",
    { vm: true },
  ),
});
