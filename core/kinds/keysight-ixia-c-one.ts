import { container } from "./vrnetlab.ts";

/** Keysight Ixia-c-one (Containerlab: nodes/keysight_ixiacone). */
export default container({
  name: "keysight_ixia-c-one",
  aliases: [],
});
