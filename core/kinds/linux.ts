import { container } from "./vrnetlab.ts";

/** A plain Linux container (Containerlab: nodes/linux). lab puts link addresses on its interfaces. */
export default container({
  name: "linux",
  aliases: [],
  restartPolicy: "always",
  sysctls: { "net.ipv6.conf.all.disable_ipv6": "0" },
  stopSignal: "SIGKILL",
  linuxAddresses: true,
  // Its PostDeploy turns TX checksum offload off on eth0 inside the container.
  mgmtTxOffloadOff: "container-end",
});
