import { vrnetlab } from "./vrnetlab.ts";

/** Huawei VRP, a vrnetlab VM (Containerlab: nodes/huawei_vrp). */
export default vrnetlab({
  name: "huawei_vrp",
  aliases: [],
  credentials: { username: "admin", password: "admin" },
  platform: { scrapli: "huawei_vrp" },
});
