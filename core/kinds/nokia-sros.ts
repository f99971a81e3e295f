import { vrnetlab } from "./vrnetlab.ts";

const HELP =
  "<slot>/<mda>/<port>, <slot>/x<xiom>/<mda>/<port> or <slot>/<mda>/c<conn>/<port> (e.g. 2/1/3, 1/x1/2/3 or 1/1/c1/1), or ethX";
const PORT = /^(?<slot>\d+)\/(?:x(?<xiom>\d+)\/)?(?<mda>\d+)\/(?:c(?<conn>\d+)\/)?(?<port>\d+)$/;

/**
 * vrnetlab SR OS without components: 1/1/P is ethP and 1/1/cC/1 is ethC (Containerlab's
 * simpleInterfaceIndex); other slots and MDAs need `components:`, whose port layout lab does not map.
 */
function srosPort(name: string): string | { error: string } {
  if (/eth[1-9]\d*$/.test(name)) return name;
  const m = PORT.exec(name);
  if (!m?.groups)
    return { error: `interface name "${name}" could not be mapped to an ethX-based interface name (expected ${HELP})` };
  const { slot, xiom, mda, conn, port } = m.groups;
  if (Number(port) < 1) return { error: `interface "${name}" has an invalid port number` };
  if (conn && Number(port) !== 1)
    return {
      error: `interface "${name}" uses a breakout sub-port (c${conn}/${port}); breakout ports are not auto-mapped, use the ethX name instead`,
    };
  if (slot !== "1" || mda !== "1" || xiom)
    return {
      error: `interface "${name}" cannot be mapped on a node without components: only slot 1 / mda 1 ports map automatically; use the ethX name`,
    };
  return `eth${conn ?? port}`;
}

/** Nokia SR OS as a vrnetlab VM (Containerlab: nodes/vr_sros). Boots from tftpboot/config.txt. */
export default vrnetlab({
  name: "nokia_sros",
  aliases: ["vr-sros", "vr-nokia_sros"],
  credentials: { username: "admin", password: "admin" },
  platform: { scrapli: "nokia_sros" },
  ansible: { networkOs: "nokia.sros.md", connection: "ansible.netcommon.network_cli" },
  // vrnetlab's SR OS takes its variant from the node type (sr-1 when none), not credentials.
  cmd: ({ name, type }) => `--trace --connection-mode tc --hostname ${name} --variant "${type ?? "sr-1"}"`,
  binds: ["__clabNodeDir__/tftpboot:/tftpboot"],
  startupConfig: "tftpboot/config.txt",
  interfaces: { help: HELP, map: srosPort },
});
