import { container } from "./vrnetlab.ts";

const HELP = "portX (where X is 1-9)";

/**
 * Spirent TestCenter virtual (Containerlab: nodes/spirent_stc): container mode, and healthy while its
 * capture process runs. (Containerlab also fakes a cgroup v1 tree for it; lab does not.)
 */
export default container({
  name: "spirent_stc",
  aliases: [],
  env: { SPIRENT_ADMIN: "--mode container", LIBVIRT_LXC_CMDLINE: "SPIRENT_ADMIN=--mode container" },
  healthcheck: { test: ["CMD-SHELL", "pgrep -f capture_0"], interval: 10, timeout: 5, retries: 3 },
  interfaces: {
    help: HELP,
    map: (name) => {
      const m = /port(?<port>[1-9])/.exec(name);
      return m ? `eth${m.groups?.port}` : { error: `interface name "${name}" doesn't match ${HELP}` };
    },
  },
});
