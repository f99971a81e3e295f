import { container } from "./vrnetlab.ts";

/** Ostinato traffic generator: a kind in Containerlab's schema, run as a plain container. */
export default container({
  name: "ostinato",
  aliases: [],
});
