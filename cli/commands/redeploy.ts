import { upCommand } from "./up.ts";

// Containerlab's redeploy: destroy and deploy again, whatever runs.
export default upCommand("redeploy", "Remove the lab and deploy it again (lab up --reconfigure)", true);
