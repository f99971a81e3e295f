import { portMap } from "./interfaces.ts";
import { vrnetlab } from "./vrnetlab.ts";

/** Palo Alto PAN-OS, a vrnetlab VM (Containerlab: nodes/vr_pan). */
export default vrnetlab({
  name: "paloalto_panos",
  aliases: ["vr-pan", "vr-paloalto_panos"],
  // The VM's size as Containerlab gives it (the node's env overrides).
  env: { CONNECTION_MODE: "tc", ...{ QEMU_SMP: "2", QEMU_MEMORY: "6144", QEMU_CPU: "qemu64" } },
  credentials: { username: "admin", password: "Admin@123" },
  platform: { scrapli: "paloalto_panos" },
  interfaces: portMap(/Ethernet1\/(?<port>\d+)/, 1, "Ethernet1/1 (where X >= 1) or ethX (where X >= 1)", { vm: true }),
});
