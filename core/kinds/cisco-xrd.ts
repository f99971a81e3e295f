import type { RunningNode } from "./types.ts";
import { container } from "./vrnetlab.ts";

// Cisco XRd as Containerlab's nodes/xrd sets it up: XR's own environment (first-boot config, the
// management interface, an every-boot script) plus XR_INTERFACES made from the node's links; a
// first-boot configuration that makes it reachable (user clab, SSH, NETCONF, gRPC, management
// routes); xr-storage in the node dir; and, once it runs, the every-boot script given the IPv6
// management address the engine assigned (XR takes IPv4 from DHCP-like snooping, not IPv6).

/**
 * An IOS XR first-boot configuration when the topology gives none (lab's text; the keys are XR's):
 * the user, gRPC 9339 without TLS, SSH and NETCONF, management routes, CLAB_MGMT_VRF.
 */
export const xrFirstBootConfig = (
  user: string,
  secret: string,
) => `!! Written by lab for {{ .ShortName }}: reachable and manageable on first boot.
hostname {{ .ShortName }}
!
username ${user}
 group root-lr
 group cisco-support
 secret ${secret}
!
{{- with .Env.CLAB_MGMT_VRF }}
vrf {{ . }}
 address-family ipv4 unicast
 !
 address-family ipv6 unicast
 !
!
{{- end }}
grpc
{{- with .Env.CLAB_MGMT_VRF }}
 vrf {{ . }}
{{- end }}
 port 9339
 no-tls
 address-family dual
!
line default
 transport input ssh
!
netconf-yang agent
 ssh
!
interface MgmtEth0/RP0/CPU0/0
{{- with .Env.CLAB_MGMT_VRF }}
 vrf {{ . }}
{{- end }}
!
router static
{{- with .Env.CLAB_MGMT_VRF }}
 vrf {{ . }}
{{- end }}
{{- if .MgmtIPv4Gateway }}
 address-family ipv4 unicast
  0.0.0.0/0 MgmtEth0/RP0/CPU0/0 {{ .MgmtIPv4Gateway }}
 !
{{- end }}
{{- if .MgmtIPv6Gateway }}
 address-family ipv6 unicast
  ::/0 MgmtEth0/RP0/CPU0/0 {{ .MgmtIPv6Gateway }}
 !
{{- end }}
!
ssh server v2
{{- with .Env.CLAB_MGMT_VRF }}
ssh server vrf {{ . }}
ssh server netconf vrf {{ . }}
{{- else }}
ssh server netconf
{{- end }}
end
`;

/** XR_INTERFACES: each link end as linux:<name>,xr_name=<name with / for ->; (Containerlab's genInterfacesEnv). */
export const xrInterfaces = (ifaces: string[]) =>
  ifaces.map((i) => `linux:${i},xr_name=${i.replaceAll("-", "/")};`).join("");

/** The every-boot script: XR's ZTP helper applies the IPv6 management address the engine gave. */
export function mgmtIpv6Script(node: Pick<RunningNode, "mgmtIpv6">): string {
  const set = node.mgmtIpv6 ? `ipv6 address ${node.mgmtIpv6}\\n` : "";
  return `#!/bin/bash

source /pkg/bin/ztp_helper.sh

xrapply_string "interface MgmtEth0/RP0/CPU0/0\\n no ipv6 address\\n${set}"
`;
}

/** Cisco XRd (Containerlab: nodes/xrd). */
export default container({
  name: "cisco_xrd",
  aliases: ["xrd"],
  env: {
    XR_FIRST_BOOT_CONFIG: "/etc/xrd/first-boot.cfg",
    XR_MGMT_INTERFACES: "linux:eth0,xr_name=Mg0/RP0/CPU0/0,chksum,snoop_v4,snoop_v6",
    XR_EVERY_BOOT_SCRIPT: "/etc/xrd/mgmt_intf_v6_addr.sh",
  },
  interfaceEnv: (ifaces) => ({ XR_INTERFACES: xrInterfaces(ifaces) }),
  binds: [
    "__clabNodeDir__/first-boot.cfg:/etc/xrd/first-boot.cfg",
    "__clabNodeDir__/xr-storage:/xr-storage",
    "__clabNodeDir__/mgmt_intf_v6_addr.sh:/etc/xrd/mgmt_intf_v6_addr.sh",
  ],
  // Created empty (and executable) for the first boot; the post-deploy step fills it in.
  files: () => [{ path: "mgmt_intf_v6_addr.sh", text: "", mode: 0o775, keep: true }],
  startupConfig: "first-boot.cfg",
  defaultConfig: xrFirstBootConfig("clab", "clab@123"),
  postDeploy: {
    what: "the IPv6 management address script",
    files: (node) => [{ path: "mgmt_intf_v6_addr.sh", text: mgmtIpv6Script(node), mode: 0o775 }],
  },
  saveNetconf: true,
  credentials: { username: "clab", password: "clab@123" },
  platform: { scrapli: "cisco_iosxr", napalm: "iosxr" },
  interfaces: {
    help: "Gi0-0-0-X where X is the interface number",
    map: (name) =>
      /^Gi0-0-0-\d+$/.test(name)
        ? name
        : {
            error: `cisco XRd interface name "${name}" doesn't match the required pattern. XRd interfaces should be named as Gi0-0-0-X where X is the interface number`,
          },
  },
});
