import { portMap } from "./interfaces.ts";
import { vrnetlab } from "./vrnetlab.ts";

/** Cisco XRv9k, a vrnetlab VM (Containerlab: nodes/vr_xrv9k). */
export default vrnetlab({
  name: "cisco_xrv9k",
  aliases: ["vr-xrv9k", "vr-cisco_xrv9k"],
  // The VM's size as Containerlab gives it (the node's env overrides).
  env: { CONNECTION_MODE: "tc", ...{ QEMU_SMP: "2", QEMU_MEMORY: "16384" } },
  credentials: { username: "clab", password: "clab@123" },
  platform: { scrapli: "cisco_iosxr", napalm: "iosxr" },
  interfaces: portMap(
    /(?:Gi|GigabitEthernet|Te|TenGigE|TenGigabitEthernet)\s?0\/0\/0\/(?<port>\d+)/,
    0,
    "GigabitEthernet0/0/0/X, Gi0/0/0/X or TenGigabitEthernet0/0/0/X, TenGigE0/0/0/X, Te0/0/0/X (where X >= 0) or ethX (where X >= 1)",
    { vm: true },
  ),
});
