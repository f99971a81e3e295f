import { container } from "./vrnetlab.ts";

/** 6WIND Virtual Service Router (Containerlab: nodes/6wind_vsr). */
export default container({
  name: "6wind_vsr",
  aliases: [],
  credentials: { username: "admin", password: "admin" },
});
