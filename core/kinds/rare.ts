import { container } from "./vrnetlab.ts";

/** RARE/freeRtr (Containerlab: nodes/rare). */
export default container({
  name: "rare",
  aliases: [],
});
