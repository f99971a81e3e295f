import { portMap } from "./interfaces.ts";
import { vrnetlab } from "./vrnetlab.ts";

/** Fortinet FortiGate, a vrnetlab VM (Containerlab: nodes/fortinet_fortigate). */
export default vrnetlab({
  name: "fortinet_fortigate",
  aliases: [],
  // As Containerlab's Init sets them (the node's env overrides).
  env: { CONNECTION_MODE: "tc", QEMU_SMP: "2", QEMU_MEMORY: "2048" },
  // The launcher gets the node's login itself, not what env says (its Init formats Credentials).
  cmd: ({ name, env, credentials }) =>
    `--username ${credentials.username} --password ${credentials.password} --hostname ${name} --connection-mode ${env.CONNECTION_MODE} --trace`,
  credentials: { username: "admin", password: "admin" },
  platform: { scrapli: "fortinet_fortios" },
  interfaces: portMap(/port(?<port>\d+)$/, 2, "portX (where X >= 2) or ethX (where X >= 1)", { vm: true }),
});
