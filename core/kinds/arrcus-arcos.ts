import { container } from "./vrnetlab.ts";

/** Arrcus ArcOS (Containerlab: nodes/arrcus_arcos). */
export default container({
  name: "arrcus_arcos",
  aliases: [],
  credentials: { username: "clab", password: "clab@123" },
});
