import { container } from "./vrnetlab.ts";

/**
 * veesix osvBNG (Containerlab: nodes/veesix_osvbng): the capabilities its dataplane needs, waiting
 * for its interfaces at start, and osvbng.yaml from the node dir (the startup-config rendered, or
 * empty).
 */
export default container({
  name: "veesix_osvbng",
  aliases: [],
  capAdd: ["SYS_ADMIN", "NET_ADMIN", "IPC_LOCK", "SYS_NICE", "SYS_RAWIO"],
  env: { OSVBNG_WAIT_FOR_INTERFACES: "true" },
  binds: ["__clabNodeDir__/osvbng.yaml:/etc/osvbng/osvbng.yaml"],
  startupConfig: "osvbng.yaml",
  defaultConfig: "",
  interfaces: {
    help: "any name but eth0 (the management interface)",
    map: (name) =>
      name === "eth0" ? { error: "eth0 interface name is not allowed: it is the management interface" } : name,
  },
});
