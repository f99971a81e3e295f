import { container } from "./vrnetlab.ts";

/** OpenWrt (Containerlab: nodes/vr_openwrt): its overlay filesystem is kept in the node dir. */
export default container({
  name: "openwrt",
  aliases: [],
  binds: ["__clabNodeDir__/overlay:/overlay"],
});
