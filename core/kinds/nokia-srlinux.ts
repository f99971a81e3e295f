import { composite } from "./interfaces.ts";
import { container } from "./vrnetlab.ts";

/** Nokia SR Linux (Containerlab: nodes/srl): ethernet-L/P[/C] is eL-P[-C] inside the container. */
export default container({
  name: "nokia_srlinux",
  aliases: ["srl"],
  cmd: "sudo -E bash -c 'touch /.dockerenv && /opt/srlinux/bin/sr_linux'",
  env: { SRLINUX: "1" },
  user: "0:0",
  sysctls: {
    "net.ipv4.ip_forward": "0",
    "net.ipv6.conf.all.disable_ipv6": "0",
    "net.ipv6.conf.all.accept_dad": "0",
    "net.ipv6.conf.default.accept_dad": "0",
    "net.ipv6.conf.all.autoconf": "0",
    "net.ipv6.conf.default.autoconf": "0",
  },
  binds: ["__clabNodeDir__/config:/etc/opt/srlinux/:rw"],
  licensePath: "/opt/srlinux/etc/license.key",
  startupConfig: "config/config.json",
  startupConfigJson: true,
  saveCommand: ["sr_cli", "-d", "tools", "system", "configuration", "save"],
  credentials: { username: "admin", password: "NokiaSrl1!" },
  platform: { scrapli: "nokia_srlinux" },
  ansible: { networkOs: "nokia.srlinux.srlinux", connection: "ansible.netcommon.httpapi" },
  interfaces: composite(
    /ethernet-(?<linecard>\d+)\/(?<port>\d+)(?:\/(?<channel>\d+))?/,
    (g) => `e${g.linecard}-${g.port}${g.channel !== undefined ? `-${g.channel}` : ""}`,
    /(:?e|ethernet)\d+-\d+(-\d+)?|mgmt0/,
    "ethernet-L/P, ethernet-L/P/C or eL-P, eL-P-C (where L, P, C >= 1)",
  ),
});
