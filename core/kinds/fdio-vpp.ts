import { container } from "./vrnetlab.ts";

/** FD.io VPP (Containerlab: nodes/fdio_vpp). */
export default container({
  name: "fdio_vpp",
  aliases: [],
  credentials: { username: "root", password: "vpp" },
});
