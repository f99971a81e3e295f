import { container } from "./vrnetlab.ts";

/** PLVision SONiC (Containerlab: nodes/plvision_sonic). */
export default container({
  name: "plvision_sonic",
  aliases: [],
  // vrnetlab's backup script copies the VM's config out where it boots from (Containerlab's saveCmd).
  saveCommand: ["sh", "-c", "/backup.sh -u $USERNAME -p $PASSWORD backup"],
  credentials: { username: "admin", password: "admin" },
  platform: { scrapli: "sonic" },
});
