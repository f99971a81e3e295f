import { portMap } from "./interfaces.ts";
import { vrnetlab } from "./vrnetlab.ts";

/** Juniper cJunosEvolved (Containerlab: nodes/cjunosevolved): et-0/0/0 is eth4. */
export default vrnetlab({
  name: "juniper_cjunosevolved",
  // 4 vCPUs and 8 GB available, as nodes/cjunosevolved asks of the host.
  hostNeeds: { minVcpus: 4, minMemoryGb: 8 },
  aliases: ["cjunosevolved"],
  credentials: { username: "admin", password: "admin@123" },
  platform: { scrapli: "juniper_junos", napalm: "junos" },
  // Not a vrnetlab launcher: its image's own entrypoint runs as is, with only the config dir bound.
  cmd: undefined,
  env: {},
  credentialEnv: false,
  interfaces: portMap(/et-0\/0\/(?<port>\d+)$/, -3, "(et-0/0/X (where X >= 0) or ethX (where X >= 4)", { vm: true }),
});
