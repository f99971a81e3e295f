import { crpdPostDeploy, JUNOS_DEFAULT_CONFIG, SSHD_CONFIG } from "./juniper-crpd.ts";
import { container } from "./vrnetlab.ts";

// Juniper cSRX as Containerlab's nodes/juniper_csrx: cRPD's layout (config and log dirs, an
// sshd_config on 22 and 830, juniper.conf, the licence in the config dir, sshd restarted and the
// licence added after boot, cli show conf saved back), plus CSRX_JUNOS_CONFIG pointing at that
// juniper.conf and an empty password sentinel file bound where cSRX looks for one.

/** Juniper cSRX (Containerlab: nodes/juniper_csrx). */
export default container({
  name: "juniper_csrx",
  aliases: [],
  env: { CSRX_JUNOS_CONFIG: "/config/juniper.conf" },
  binds: [
    "__clabNodeDir__/config:/config",
    "__clabNodeDir__/log:/var/log",
    "__clabNodeDir__/config/sshd_config:/etc/ssh/sshd_config",
    "__clabNodeDir__/csrx_password_config_file:/var/local/csrx_password_config_file",
  ],
  files: () => [
    { path: "config/sshd_config", text: SSHD_CONFIG },
    { path: "csrx_password_config_file", text: "" },
  ],
  startupConfig: "config/juniper.conf",
  defaultConfig: JUNOS_DEFAULT_CONFIG,
  licenseFile: "config/license/license.lic",
  postDeploy: { what: "sshd restart and licence", command: (node) => crpdPostDeploy(!!node.licensed) },
  saveCommand: ["cli", "show", "conf"],
  savedConfig: "config/juniper.conf",
  saveOutput: "config/juniper.conf",
  credentials: { username: "root", password: "clab123" },
  platform: { scrapli: "juniper_junos", napalm: "junos" },
});
