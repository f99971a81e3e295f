import { portMap } from "./interfaces.ts";
import { vrnetlab } from "./vrnetlab.ts";

/**
 * F5 BIG-IP VE (Containerlab: nodes/f5_bigipve): data interfaces 1.1, 1.2, … are eth1, eth2, …; its
 * launcher takes the host name from F5_HOSTNAME and sets the password it is first asked to change
 * to F5_NEW_PASSWORD (the node's password unless given). Not a vrnetlab node in Containerlab: no
 * management subnets in its env, and no startup-config placed.
 */
export default vrnetlab({
  name: "f5_bigip-ve",
  aliases: [],
  // A DefaultNode in Containerlab: no vrnetlab pre-stop step.
  preStop: undefined,
  credentials: { username: "admin", password: "Labl@b!234" },
  env: { CONNECTION_MODE: "tc", QEMU_MEMORY: "8192", QEMU_SMP: "4", QEMU_CPU: "host" },
  mgmtSubnetEnv: false,
  layout: ({ name, env }) => ({
    env: { F5_HOSTNAME: name, ...(env.F5_NEW_PASSWORD === undefined ? { F5_NEW_PASSWORD: env.PASSWORD ?? "" } : {}) },
    binds: [],
    startupConfigs: [],
  }),
  cmd: ({ env }) =>
    `--username ${env.USERNAME} --password ${env.PASSWORD} --hostname ${env.F5_HOSTNAME} --connection-mode ${env.CONNECTION_MODE} --trace`,
  startupConfig: undefined,
  interfaces: portMap(/^1\.(?<port>\d+)$/, 1, "1.X (where X >= 1) or ethX (where X >= 1)", { vm: true }),
});
