import { portMap } from "./interfaces.ts";
import { vrnetlab } from "./vrnetlab.ts";

/** Juniper vMX, a vrnetlab VM (Containerlab: nodes/vr_vmx). */
export default vrnetlab({
  name: "juniper_vmx",
  aliases: ["vr-vmx", "vr-juniper_vmx"],
  credentials: { username: "admin", password: "admin@123" },
  // Its Init binds no /dev for macvtap.
  envBinds: () => [],
  // The launcher gets the node's login itself, not what env says (its Init formats Credentials).
  cmd: ({ name, env, credentials }) =>
    `--username ${credentials.username} --password ${credentials.password} --hostname ${name} --connection-mode ${env.CONNECTION_MODE} --trace`,
  platform: { scrapli: "juniper_junos", napalm: "junos" },
  interfaces: portMap(/(?:et|xe|ge)-0\/0\/(?<port>\d+)$/, 0, "(et|xe|ge)-0/0/X (where X >= 0) or ethX (where X >= 1)", {
    vm: true,
  }),
});
