import { vrnetlab } from "./vrnetlab.ts";

/** Huawei VRP, a vrnetlab VM (Containerlab: nodes/huawei_vrp). */
export default vrnetlab({
  name: "huawei_vrp",
  aliases: [],
  // As Containerlab's Init sets them (the node's env overrides).
  env: { CONNECTION_MODE: "tc", QEMU_SMP: "2", QEMU_MEMORY: "2048" },
  credentials: { username: "admin", password: "admin" },
  // Its Init binds no /dev for macvtap.
  envBinds: () => [],
  platform: { scrapli: "huawei_vrp" },
});
