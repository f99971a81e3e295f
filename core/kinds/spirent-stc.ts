import { container } from "./vrnetlab.ts";

const HELP = "portX (where X is 1-9)";

/** Spirent TestCenter (Containerlab: nodes/spirent_stc): only port1-port9, which are eth1-eth9. */
export default container({
  name: "spirent_stc",
  aliases: [],
  interfaces: {
    help: HELP,
    map: (name) => {
      const m = /port(?<port>[1-9])/.exec(name);
      return m ? `eth${m.groups?.port}` : { error: `interface name "${name}" doesn't match ${HELP}` };
    },
  },
});
