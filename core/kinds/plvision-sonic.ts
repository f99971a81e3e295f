import { container } from "./vrnetlab.ts";

/** PLVision SONiC (Containerlab: nodes/plvision_sonic). */
export default container({
  name: "plvision_sonic",
  aliases: [],
  credentials: { username: "admin", password: "admin" },
  platform: { scrapli: "sonic" },
});
