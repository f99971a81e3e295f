import { container } from "./vrnetlab.ts";

/** veesix osvbng (Containerlab: nodes/veesix_osvbng). */
export default container({
  name: "veesix_osvbng",
  aliases: [],
});
