import { composite } from "./interfaces.ts";
import { chassisBaseMac } from "./mac.ts";
import { SRSIM_DEFAULT_CONFIG } from "./srsim-config.ts";
import { container } from "./vrnetlab.ts";

// Nokia SR-SIM, the containerised SR OS, as Containerlab's nodes/sros sets up a standalone node:
// root, SR OS's sysctls, NOKIA_SROS_* telling the simulator its chassis, slot and base MAC (also the
// management MAC), the three compact flashes of slot A from the node dir, a licence it cannot boot
// without, and save over NETCONF. Distributed chassis (`components:`) are not deployed by lab.

/** The system base MAC, also the management MAC (1c:…). */
export const srsimBaseMac = ({ lab, index }: { lab: string; name: string; index: number }) =>
  chassisBaseMac("1c", lab, index);

/**
 * A standalone node's component as Containerlab's setupStandaloneComponents reads it: the slot (A
 * when none), the card type and MDAs, and the component's own env.
 */
export function srsimComponentEnv(c: Record<string, unknown>): Record<string, string> | { error: string } {
  const vars: Record<string, string> = {};
  const slot =
    String(c.slot ?? "")
      .trim()
      .toUpperCase() || "A";
  // Slot A's flashes are what lab binds; Containerlab also takes B on chassis that have one.
  if (slot !== "A") return { error: `lab lays out a standalone SR-SIM in slot A, not ${slot}` };
  vars.NOKIA_SROS_SLOT = slot;
  if (c.type) vars.NOKIA_SROS_CARD = String(c.type);
  for (const m of (c.mda as { slot?: number; type?: string }[] | undefined) ?? [])
    if (m.slot !== undefined && m.type) vars[`NOKIA_SROS_MDA_${m.slot}`] = m.type;
  for (const [k, v] of Object.entries((c.env as Record<string, string> | undefined) ?? {})) vars[k] = String(v);
  return vars;
}

const FLASH = (n: number) => `__clabNodeDir__/A/config/cf${n}:/home/sros/flash${n}/:rw`;

/** Nokia SR-SIM (Containerlab: nodes/sros): 1/2/3 is e1-2-3. */
export default container({
  name: "nokia_srsim",
  aliases: [],
  user: "0:0",
  sysctls: {
    "net.ipv4.ip_forward": "0",
    "net.ipv6.conf.all.disable_ipv6": "0",
    "net.ipv6.conf.default.disable_ipv6": "0",
    "net.ipv6.conf.all.accept_dad": "0",
    "net.ipv6.conf.default.accept_dad": "0",
    "net.ipv6.conf.all.autoconf": "0",
    "net.ipv6.conf.default.autoconf": "0",
    "net.ipv4.conf.all.rp_filter": "0",
    "net.ipv6.conf.all.accept_ra": "0",
    "net.ipv6.conf.default.accept_ra": "0",
    "net.ipv4.conf.default.rp_filter": "0",
  },
  env: { SRSIM: "1", NOKIA_SROS_SLOT: "A", CLAB_SROS_CONFIG_MODE: "model-driven" },
  // Any chassis name the simulator knows; SR-1 when none is given.
  types: { valid: [], default: "SR-1" },
  typeEnv: (type) => ({ NOKIA_SROS_CHASSIS: type }),
  mgmtMac: srsimBaseMac,
  componentEnv: srsimComponentEnv,
  mgmtMacEnv: "NOKIA_SROS_SYSTEM_BASE_MAC",
  binds: [FLASH(1), FLASH(2), FLASH(3)],
  licensePath: "/nokia/license/license.txt",
  licenseRequired: true,
  startupConfig: "A/config/cf3/config.cfg",
  // Model-driven SR OS with SNMP, gRPC, NETCONF and the admin user; a *.partial startup-config is
  // added to it instead of replacing it.
  defaultConfig: SRSIM_DEFAULT_CONFIG,
  partialIntoDefault: true,
  saveNetconf: true,
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
