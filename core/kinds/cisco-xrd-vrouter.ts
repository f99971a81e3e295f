import { portMap } from "./interfaces.ts";
import { vrnetlab } from "./vrnetlab.ts";

/** Cisco XRd vRouter (Containerlab: nodes/cisco_xrd_vrouter): VM-style interface names. */
export default vrnetlab({
  name: "cisco_xrd_vrouter",
  aliases: [],
  // As Containerlab's Init sets them (the node's env overrides).
  env: { CONNECTION_MODE: "tc", QEMU_SMP: "4", QEMU_MEMORY: "10240" },
  credentials: { username: "clab", password: "clab@123" },
  platform: { scrapli: "cisco_iosxr", napalm: "iosxr" },
  interfaces: portMap(
    /(?:Gi|GigabitEthernet|Te|TenGigE|TenGigabitEthernet)\s?0\/0\/0\/(?<port>\d+)/,
    0,
    "TenGigE0/0/0/X, Te0/0/0/X (vmxnet3 default) or GigabitEthernet0/0/0/X, Gi0/0/0/X (igb), where X >= 0, or ethX (where X >= 1)",
    { vm: true },
  ),
});
