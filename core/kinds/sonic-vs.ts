import { container } from "./vrnetlab.ts";

/** SONiC virtual switch (Containerlab: nodes/sonic). */
export default container({
  name: "sonic-vs",
  aliases: [],
  platform: { scrapli: "sonic" },
});
