import { portMap } from "./interfaces.ts";
import { vrnetlab } from "./vrnetlab.ts";

/** OpenBSD, a vrnetlab VM (Containerlab: nodes/vr_openbsd). */
export default vrnetlab({
  name: "openbsd",
  aliases: [],
  // vrnetlab's backup script copies the VM's config out where it boots from (Containerlab's saveCmd).
  saveCommand: ["sh", "-c", "/backup.sh -u $USERNAME -p $PASSWORD backup"],
  // Containerlab places no startup-config for it (its PreDeploy only issues a certificate).
  startupConfig: undefined,
  credentials: { username: "admin", password: "admin" },
  interfaces: portMap(/vio(?<port>\d+)/, 1, "vioX (where X >= 1) or ethX (where X >= 1)", { vm: true }),
});
