import { composite } from "./interfaces.ts";
import { container } from "./vrnetlab.ts";

/** Nokia SR-SIM, the containerised SR OS (Containerlab: nodes/sros): 1/2/3 is e1-2-3. */
export default container({
  name: "nokia_srsim",
  aliases: [],
  credentials: { username: "admin", password: "NokiaSros1!" },
  platform: { scrapli: "nokia_sros" },
  ansible: { networkOs: "nokia.sros.md", connection: "ansible.netcommon.network_cli" },
  interfaces: composite(
    /^(?<card>\d+)\/(?:x(?<xiom>\d+)\/)?(?<mda>\d+)(?:\/c(?<connector>\d+))?\/(?<port>\d+)$/,
    (g) =>
      `e${g.card}-${g.xiom !== undefined ? `x${g.xiom}-` : ""}${g.mda}-${g.connector !== undefined ? `c${g.connector}-` : ""}${g.port}`,
    /^(?:e(?<card>\d+)-(?:x(?<xiom>\d+)-)?(?<mda>\d+)(?:-c(?<connector>\d+))?-(?<port>\d+)|eth(?<mgmtPort>\d+))$/,
    "card/mda/port, card/mda/cC/port, card/xX/mda/port, card/xX/mda/cC/port, the mapped eC-M-P forms, or ethN",
  ),
});
