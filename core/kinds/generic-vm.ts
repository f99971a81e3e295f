import { vrnetlab } from "./vrnetlab.ts";

/** Any VM packaged with vrnetlab (Containerlab: nodes/generic_vm). Interface names are not checked. */
export default vrnetlab({
  name: "generic_vm",
  aliases: [],
  // Containerlab places no startup-config for it.
  startupConfig: undefined,
  // A DefaultNode in Containerlab: no vrnetlab pre-stop step.
  preStop: undefined,
  credentials: { username: "clab", password: "clab@123" },
  interfaces: undefined,
});
