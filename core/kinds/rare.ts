import { container } from "./vrnetlab.ts";

/** RARE/freeRtr (Containerlab: nodes/rare): its run directory lives in the node dir. */
export default container({
  name: "rare",
  aliases: [],
  binds: ["__clabNodeDir__/run:/rtr/run"],
});
