import { vrnetlab } from "./vrnetlab.ts";

/** Dell Enterprise SONiC as a vrnetlab VM (Containerlab: nodes/dell_sonic): boots from config/config_db.json. */
export default vrnetlab({
  name: "dell_sonic",
  aliases: [],
  // vrnetlab's backup script copies the VM's config out where it boots from (Containerlab's saveCmd).
  saveCommand: ["sh", "-c", "/backup.sh -u $USERNAME -p $PASSWORD backup"],
  // A DefaultNode in Containerlab: no vrnetlab pre-stop step.
  preStop: undefined,
  credentials: { username: "admin", password: "admin" },
  platform: { scrapli: "sonic" },
  startupConfig: "config/config_db.json",
  // Its Init does not bind the host's /dev for macvtap.
  envBinds: () => [],
  interfaces: undefined,
});
