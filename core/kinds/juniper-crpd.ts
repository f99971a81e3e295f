import { container } from "./vrnetlab.ts";

// Juniper cRPD as Containerlab's nodes/crpd sets it up: config and log dirs in the node dir, a
// juniper.conf that lets root in over SSH and NETCONF with the kind's password, an sshd_config that
// listens on 22 and 830 with the netconf subsystem, the licence copied into the config dir; once it
// runs, sshd is restarted (to read that config) and a licence is installed through the CLI; save is
// `cli show conf` written back to juniper.conf.

/** The configuration cRPD (and cSRX) boot with when the topology gives none (lab's text; the keys are Junos'). */
export const JUNOS_DEFAULT_CONFIG = `## Written by lab for {{ .ShortName }}: root over SSH and NETCONF (password clab123).
system {
    root-authentication {
        encrypted-password "$6$labcrpd1$iV5QPNTRl1rsLxGlQXDXDdFihQzzAFswY9k.FZCa/M/RCATYZDbXQxmBrXVIdzIbxUbcMG6eyEDe15TENPQqR0"; ## SECRET-DATA
    }
    services {
        ssh {
            root-login allow;
        }
        netconf {
            ssh;
        }
    }
}
`;

/** sshd for cRPD: root with a password, SSH on 22, NETCONF on 830 (lab's text; the keys are OpenSSH's). */
export const SSHD_CONFIG = `# Written by lab: SSH on 22 and NETCONF on 830 for the node's root login.
Port 22
Port 830
PermitRootLogin yes
PasswordAuthentication yes
KbdInteractiveAuthentication no
UsePAM yes
LoginGraceTime 120
StrictModes yes
X11Forwarding yes
PrintMotd no
AcceptEnv LANG LC_*
Subsystem sftp /usr/lib/openssh/sftp-server
Subsystem netconf /usr/bin/netconf
`;

export const LICENSE_IN_NODE = "/config/license/license.lic";

/**
 * Post-deploy: restart sshd so it reads the bound config ("unrecognized service" is ignored, as
 * Containerlab does), then add the licence when the node has one.
 */
export function crpdPostDeploy(licensed: boolean): string[] {
  const restart =
    'out=$(service ssh restart 2>&1 >/dev/null) || case "$out" in *"ssh: unrecognized service"*) ;; *) echo "$out" >&2; exit 1 ;; esac';
  const license = licensed ? ` && cli -c "request system license add ${LICENSE_IN_NODE}"` : "";
  return ["sh", "-c", `${restart}${license}`];
}

/** Juniper cRPD (Containerlab: nodes/crpd). */
export default container({
  name: "juniper_crpd",
  aliases: ["crpd"],
  binds: [
    "__clabNodeDir__/config:/config",
    "__clabNodeDir__/log:/var/log",
    "__clabNodeDir__/config/sshd_config:/etc/ssh/sshd_config",
  ],
  files: () => [{ path: "config/sshd_config", text: SSHD_CONFIG }],
  startupConfig: "config/juniper.conf",
  defaultConfig: JUNOS_DEFAULT_CONFIG,
  licenseFile: "config/license/license.lic",
  postDeploy: {
    what: "sshd restart and licence",
    command: (node) => crpdPostDeploy(!!node.licensed),
  },
  saveCommand: ["cli", "show", "conf"],
  saveOutput: "config/juniper.conf",
  credentials: { username: "root", password: "clab123" },
  platform: { scrapli: "juniper_junos", napalm: "junos" },
});
