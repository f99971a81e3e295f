import { portMap } from "./interfaces.ts";
import { vrnetlab } from "./vrnetlab.ts";

/** Cisco Catalyst 9000v, a vrnetlab VM (Containerlab: nodes/vr_cat9kv). */
export default vrnetlab({
  name: "cisco_cat9kv",
  aliases: [],
  // The VM's size as Containerlab gives it (the node's env overrides).
  env: { CONNECTION_MODE: "tc", ...{ QEMU_SMP: "4", QEMU_MEMORY: "18432" } },
  credentials: { username: "admin", password: "admin" },
  platform: { scrapli: "cisco_iosxe" },
  interfaces: portMap(
    /(?:Gi|GigabitEthernet)\s?1\/0\/(?<port>\d+)$/,
    1,
    "Gi1/0/X or GigabitEthernet1/0/X (where X >= 1) or ethX (where X >= 1)",
    { vm: true },
  ),
});
