import { vrnetlab } from "./vrnetlab.ts";

/** SONiC (VM), a vrnetlab VM (Containerlab: nodes/sonic_vm). */
export default vrnetlab({
  name: "sonic-vm",
  aliases: [],
  // vrnetlab's backup script copies the VM's config out where it boots from (Containerlab's saveCmd).
  saveCommand: ["sh", "-c", "/backup.sh -u $USERNAME -p $PASSWORD backup"],
  credentials: { username: "admin", password: "admin" },
  platform: { scrapli: "sonic" },
});
