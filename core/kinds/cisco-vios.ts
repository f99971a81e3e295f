import { GoStruct } from "../gotemplate/index.ts";
import { ddnMask } from "../topology/ip.ts";
import { ciscoBootConfig } from "./cisco-boot-config.ts";
import { portMap } from "./interfaces.ts";
import type { PostDeployContext, RunningNode } from "./types.ts";
import { vrnetlab } from "./vrnetlab.ts";

// Cisco vIOS, a vrnetlab VM (Containerlab: nodes/cisco_vios). Its post-deploy writes the boot
// configuration the VM reads from /config: the node's own startup-config, or lab's default with a
// `.partial` one in it, rendered with the engine's management addresses and the node's login.

/** The boot configuration when the node has none (lab's IOS text; the keys are IOS'). */
const DEFAULT_CONFIG = `hostname {{ .Hostname }}
!
username {{ .Username }} privilege 15 password {{ .Password }}
!
ip domain name lab
no ip domain-lookup
!
line con 0
 logging synchronous
 exec-timeout 0 0
!
line vty 0 4
 logging synchronous
 login local
 transport input all
 exec-timeout 0 0
!
ipv6 unicast-routing
!
vrf definition clab-mgmt
 description clab-mgmt
 address-family ipv4
 exit-address-family
 address-family ipv6
 exit-address-family
!
ip route vrf clab-mgmt 0.0.0.0 0.0.0.0 {{ .MgmtIPv4GW }}
ipv6 route vrf clab-mgmt ::/0 {{ .MgmtIPv6GW }}
!
interface GigabitEthernet0/0
 description clab-mgmt
{{- if .IsL2Node }}
 no switchport
{{- end }}
 vrf forwarding clab-mgmt
 ip address {{ .MgmtIPv4Addr }} {{ .MgmtIPv4SubnetMask }}
 ipv6 address {{ .MgmtIPv6Addr }}/{{ .MgmtIPv6PrefixLen }}
 no shutdown
!
crypto key generate rsa modulus 2048
ip ssh version 2
!
netconf ssh
netconf max-sessions 16
snmp-server community public rw
!
no banner exec
no banner login
no banner incoming
!
{{ .PartialCfg }}
end
`;

/** Containerlab's ViosTemplateData for a running node. */
export function viosTemplateData(node: RunningNode, partial = ""): GoStruct {
  const [v4 = "", v4len = "0"] = (node.mgmtIpv4 ?? "").split("/");
  const [v6 = "", v6len = "0"] = (node.mgmtIpv6 ?? "").split("/");
  return new GoStruct("cisco_vios.ViosTemplateData", {
    Hostname: node.name,
    Username: node.username ?? "",
    Password: node.password ?? "",
    IsL2Node: node.type === "switch" || node.type === "l2",
    MgmtIPv4Addr: v4,
    MgmtIPv4SubnetMask: ddnMask(Number(v4len)),
    MgmtIPv4GW: node.gateways?.ipv4 ?? "",
    MgmtIPv6Addr: v6,
    MgmtIPv6PrefixLen: BigInt(Number(v6len) || 0),
    MgmtIPv6GW: node.gateways?.ipv6 ?? "",
    PartialCfg: partial,
  });
}

/** The boot config for a running node: its own startup-config, or the default with a partial one in it. */
export const viosBootConfig = (node: RunningNode) =>
  ciscoBootConfig(node, DEFAULT_CONFIG, viosTemplateData, "vios boot config");

async function viosPostDeploy(ctx: PostDeployContext): Promise<void> {
  await ctx.writeFile("config/startup-config.cfg", viosBootConfig(ctx.node));
}

export default vrnetlab({
  name: "cisco_vios",
  aliases: [],
  // As Containerlab's Init sets them (the node's env overrides).
  env: { CONNECTION_MODE: "tc", CLAB_MGMT_PASSTHROUGH: "true" },
  credentials: { username: "admin", password: "admin" },
  platform: { scrapli: "cisco_ios" },
  // A router unless told it is a switch (l2 is the same).
  types: { valid: ["router", "switch", "l2"] },
  startupConfigRaw: true,
  postDeploy: { what: "the boot configuration", run: viosPostDeploy },
  interfaces: portMap(
    /(?:Gi|GigabitEthernet)\s?(?<port>\d+)$/,
    0,
    "GiX or GigabitEthernetX (where X >= 0) or ethX (where X >= 1)",
    { vm: true },
  ),
});
