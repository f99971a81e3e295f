import type { RunningNode } from "./types.ts";
import { container } from "./vrnetlab.ts";

// VyOS as Containerlab's nodes/vyosnetworks_vyos sets it up: its config dir bound over
// /opt/vyatta/etc/config and owned by the vyattacfg group (gid 102), kernel modules read-only, a
// config.boot that serves the HTTPS API with the node's certificate (VyOS wants PKCS#8 and bare
// base64), empty boot-up scripts; once it runs, the management and link addresses and the user's
// SSH keys go in through the CLI as admin, committed and saved.

export const VYATTACFG_GID = 102;

/** The configuration VyOS boots with when the topology gives none (lab's text; the keys are VyOS'). */
const DEFAULT_CONFIG = `{{- /* VyOS takes certificates and keys as one line of base64, without PEM armour. */ -}}
{{- $cert := .TLSCert | strings.ReplaceAll "-----BEGIN CERTIFICATE-----" "" | strings.ReplaceAll "-----END CERTIFICATE-----" "" | strings.ReplaceAll "\\n" "" -}}
{{- $key := .TLSKey | strings.ReplaceAll "-----BEGIN PRIVATE KEY-----" "" | strings.ReplaceAll "-----END PRIVATE KEY-----" "" | strings.ReplaceAll "\\n" "" -}}
{{- $ca := .TLSAnchor | strings.ReplaceAll "-----BEGIN CERTIFICATE-----" "" | strings.ReplaceAll "-----END CERTIFICATE-----" "" | strings.ReplaceAll "\\n" "" -}}
interfaces {
    ethernet eth0 {
        description "Management Interface"
    }
    loopback lo {
    }
}
pki {
    ca clab {
        certificate "{{ $ca }}"
    }
    certificate self {
        certificate "{{ $cert }}"
        private {
            key "{{ $key }}"
        }
    }
}
service {
    https {
        api {
            keys {
                id admin {
                    key "admin"
                }
            }
        }
        certificates {
            ca-certificate "clab"
            certificate "self"
        }
        listen-address "0.0.0.0"
    }
    ssh {
        listen-address "0.0.0.0"
    }
}
system {
    config-management {
        commit-revisions "100"
    }
    host-name "{{ .ShortName }}"
    login {
        user admin {
            authentication {
                plaintext-password "admin"
            }
        }
    }
    syslog {
        global {
            facility all {
                level "info"
            }
        }
    }
}

// Warning: Do not remove the following line.
// vyos-config-version: "bgp@5:broadcast-relay@1:cluster@2:config-management@1:conntrack@5:conntrack-sync@2:container@2:dhcp-relay@2:dhcp-server@11:dhcpv6-server@5:dns-dynamic@4:dns-forwarding@4:firewall@16:flow-accounting@1:https@6:ids@1:interfaces@33:ipoe-server@4:ipsec@13:isis@3:l2tp@9:lldp@2:mdns@1:monitoring@1:nat@8:nat66@3:ntp@3:openconnect@3:openvpn@4:ospf@2:pim@1:policy@8:pppoe-server@11:pptp@5:qos@2:quagga@11:reverse-proxy@1:rip@1:rpki@2:salt@1:snmp@3:ssh@2:sstp@6:system@27:vrf@3:vrrp@4:vyos-accel-ppp@2:wanloadbalance@3:webproxy@2"
`;

const SCRIPT_TEMPLATE = "source /opt/vyatta/etc/functions/script-template";
/** Waits for a commit in progress (a boot-time one) before committing, as Containerlab's save does. */
const WAIT_FOR_COMMIT =
  "sudo python3 -c \"import sys;sys.path.insert(1, '/usr/lib/python3/dist-packages/vyos/utils/');from commit import wait_for_commit_lock;wait_for_commit_lock()\"";

/** The configuration lines Containerlab's VyOS post-deploy sends: addresses, then SSH keys. */
export function vyosPostDeployLines(node: RunningNode): string[] {
  const set = (iface: string, cidr: string) => `set interfaces ethernet ${iface} address ${cidr}`;
  const lines: string[] = [];
  if (node.mgmtIpv4) lines.push(set(node.mgmtIntf, node.mgmtIpv4));
  if (node.mgmtIpv6) lines.push(set(node.mgmtIntf, node.mgmtIpv6));
  for (const l of node.links) {
    if (l.iface === node.mgmtIntf) continue;
    if (l.ipv4) lines.push(set(l.iface, l.ipv4));
    if (l.ipv6) lines.push(set(l.iface, l.ipv6));
  }
  const user = node.username ?? "admin";
  for (const k of node.sshKeys ?? []) {
    const base = `set system login user ${user} authentication public-keys clab`;
    lines.push(`${base} type ${k.type}`, `${base} key ${k.key}`);
  }
  return lines;
}

/** A VyOS configuration session as the admin user: configure, the lines, commit and save. */
export function vyosSession(lines: string[]): string[] {
  const script = [SCRIPT_TEMPLATE, WAIT_FOR_COMMIT, "configure", ...lines, "commit", "save", "exit"].join("\n");
  return ["su", "-", "admin", "-c", script];
}

/** VyOS (Containerlab: nodes/vyosnetworks_vyos). */
export default container({
  name: "vyosnetworks_vyos",
  aliases: [],
  binds: ["__clabNodeDir__/config:/opt/vyatta/etc/config", "/lib/modules:/lib/modules:ro"],
  nodeDirGroup: VYATTACFG_GID,
  issuesCertificate: true,
  tlsKeyPkcs8: true,
  files: () => [
    { path: "config/scripts/vyos-preconfig-bootup.script", text: "#!/bin/sh", mode: 0o755 },
    { path: "config/scripts/vyos-postconfig-bootup.script", text: "#!/bin/sh", mode: 0o755 },
  ],
  startupConfig: "config/config.boot",
  defaultConfig: DEFAULT_CONFIG,
  postDeploy: {
    what: "management and link addresses and SSH keys",
    command: (node) => vyosSession(vyosPostDeployLines(node)),
  },
  saveCommand: vyosSession([]),
  credentials: { username: "admin", password: "admin" },
  platform: { scrapli: "vyatta_vyos", napalm: "vyos" },
  interfaces: {
    help: "ethX where X is any number greater than 0",
    map: (name) =>
      /eth[1-9][0-9]*$/.test(name)
        ? name
        : {
            error: `interface name "${name}" doesn't match the required pattern. Interfaces may only be named ethX where X is any number greater than 0`,
          },
  },
});
