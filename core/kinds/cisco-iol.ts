import { GoStruct, typedSlice } from "../gotemplate/index.ts";
import { ddnMask } from "../topology/ip.ts";
import { ciscoBootConfig } from "./cisco-boot-config.ts";
import type { PostDeployContext, RunningNode } from "./types.ts";
import { container } from "./vrnetlab.ts";

// Cisco IOL as Containerlab's nodes/iol sets it up: a process id from the node's position
// (IOL_PID), its nvram file, NETMAP and iouyap.ini wiring IOL's slot/port interfaces to the
// container's ethN, and a boot config written once the node runs, from the management addresses
// the engine assigned (lab's IOS text, or the node's startup-config rendered with IOL's template
// data as Containerlab does: .Hostname, .MgmtIPv4Addr, .DataIFaces…; a *.partial file is added to
// the default instead).

const HELP =
  "Interfaces should follow Ethernet<slot>/<port> or e<slot>/<port> naming convention, where <slot> is a number from 0-9 and <port> is a number from 0-3. You can also use ethX-based interface naming.";

/** Cisco IOL (Containerlab: nodes/iol): Ethernet<slot>/<port> is eth<slot*4+port>; e0/0 is management. */
function iolInterface(name: string): string | { error: string } {
  let mapped = name;
  if (!/eth[1-9]\d*$/.test(name) && /(e|Ethernet)((0\/[123])|([1-9]\/[0-3]))$|eth[1-9]\d*$/.test(name)) {
    const m = /(?:e|Ethernet)\s?(?<slot>\d+)\/(?<port>\d+)$/.exec(name);
    if (!m?.groups) return { error: `"${name}" missing slot or port index. ${HELP}` };
    mapped = `eth${Number(m.groups.slot) * 4 + Number(m.groups.port)}`;
  }
  if (/(eth0|e0\/0|Ethernet0\/0)$/.test(mapped))
    return { error: "management interface Ethernet0/0, e0/0 or eth0 is not allowed" };
  if (!/eth[1-9]\d*$/.test(mapped))
    return { error: `interface name "${name}" doesn't match the required pattern. ${HELP}` };
  return mapped;
}

/** IOL's process id: the node's position + 1. */
const pid = (index: number) => String(index + 1);
/** nvram_<PID as five digits>, as Go's %05s pads it. */
export const nvramFile = (index: number) => `nvram_${pid(index).padStart(5, "0")}`;

/** Where ethN sits on IOL's slots of four ports. */
const slotPort = (iface: string) => {
  const n = Number(/\d+/.exec(iface)?.[0] ?? 0);
  return { n, slot: Math.floor(n / 4), port: n % 4 };
};

/** NETMAP and iouyap.ini: IOL's ports 513:<slot>/<port> bridged to the container's interfaces. */
export function iolWiring(index: number, ifaces: string[]): { netmap: string; iouyap: string } {
  let iouyap = "[default]\nbase_port = 49000\nnetmap = /iol/NETMAP\n[513:0/0]\neth_dev = eth0\n";
  let netmap = `${pid(index)}:0/0 513:0/0\n`;
  for (const iface of ifaces) {
    const { slot, port } = slotPort(iface);
    iouyap += `[513:${slot}/${port}]\neth_dev = ${iface}\n`;
    netmap += `${pid(index)}:${slot}/${port} 513:${slot}/${port}\n`;
  }
  return { netmap, iouyap };
}

/** The boot configuration when the node has none (lab's IOS text; the keys are IOS'). */
const DEFAULT_CONFIG = `hostname {{ .Hostname }}
!
no aaa new-model
!
ip domain name lab
!
ip cef
!
ipv6 unicast-routing
!
no ip domain lookup
!
username admin privilege 15 secret admin
!
vrf definition clab-mgmt
 description clab-mgmt
 address-family ipv4
 !
 address-family ipv6
 !
!
interface Ethernet0/0
{{- if .IsL2Node }}
 no switchport
{{- end }}
 vrf forwarding clab-mgmt
 description clab-mgmt
{{- if .MgmtIPv4Addr }}
 ip address {{ .MgmtIPv4Addr }} {{ .MgmtIPv4SubnetMask }}
{{- end }}
{{- if .MgmtIPv6Addr }}
 ipv6 address {{ .MgmtIPv6Addr }}/{{ .MgmtIPv6PrefixLen }}
{{- end }}
 no shutdown
!
{{- range .DataIFaces }}
interface Ethernet{{ .Slot }}/{{ .Port }}
{{- if .IPv4Addr }}
 ip address {{ .IPv4Addr }} {{ .IPv4Mask }}
{{- end }}
{{- if .IPv6Addr }}
 ipv6 address {{ .IPv6Addr }}
{{- end }}
 no shutdown
!
{{- end }}
ip forward-protocol nd
!
{{- if .MgmtIPv4GW }}
ip route vrf clab-mgmt 0.0.0.0 0.0.0.0 Ethernet0/0 {{ .MgmtIPv4GW }}
{{- end }}
{{- if .MgmtIPv6GW }}
ipv6 route vrf clab-mgmt ::/0 Ethernet0/0 {{ .MgmtIPv6GW }}
{{- end }}
!
ip ssh version 2
crypto key generate rsa modulus 2048
!
line vty 0 4
 login local
 transport input ssh
!
{{ .PartialCfg }}
end
`;

/** Containerlab's IOLTemplateData for a running node: what IOL boot configs are rendered with. */
export function iolTemplateData(node: RunningNode, partial = ""): GoStruct {
  const [v4, v4len] = (node.mgmtIpv4 ?? "").split("/");
  const [v6, v6len] = (node.mgmtIpv6 ?? "").split("/");
  const ifaces = (node.interfaces ?? []).map((i) => {
    const { n, slot, port } = slotPort(i.iface);
    const [a4, l4] = (i.ipv4 ?? "").split("/");
    return new GoStruct("cisco_iol.IOLInterface", {
      IfaceName: i.iface,
      IfaceIdx: BigInt(n),
      Slot: BigInt(slot),
      Port: BigInt(port),
      IPv4Addr: a4 ?? "",
      IPv4Mask: a4 ? ddnMask(Number(l4)) : "",
      IPv6Addr: i.ipv6 ?? "",
    });
  });
  return new GoStruct("cisco_iol.IOLTemplateData", {
    Hostname: node.name,
    IsL2Node: node.type === "l2",
    MgmtIPv4Addr: v4 ?? "",
    MgmtIPv4SubnetMask: v4 ? ddnMask(Number(v4len)) : ddnMask(0),
    MgmtIPv4GW: node.gateways?.ipv4 ?? "",
    MgmtIPv6Addr: v6 ?? "",
    MgmtIPv6PrefixLen: BigInt(Number(v6len ?? 0) || 0),
    MgmtIPv6GW: node.gateways?.ipv6 ?? "",
    DataIFaces: typedSlice(ifaces, "[]cisco_iol.IOLInterface"),
    PartialCfg: partial,
  });
}

/** The boot config for a running node: its own startup-config, or the default with a partial one in it. */
export const iolBootConfig = (node: RunningNode) =>
  ciscoBootConfig(node, DEFAULT_CONFIG, iolTemplateData, "iol boot config");

/**
 * What Containerlab types into the console of an IOL that boots from its nvram (UpdateMgmtIntf):
 * the saved config has the last deploy's management address, so Ethernet0/0 gets the engine's
 * current one and the management VRF's default routes, then the config is written.
 */
export function iolMgmtUpdate(node: RunningNode): string {
  const [v4 = "", v4len = "0"] = (node.mgmtIpv4 ?? "").split("/");
  const [v6 = "", v6len = "0"] = (node.mgmtIpv6 ?? "").split("/");
  return [
    "",
    "enable",
    "config terminal",
    "interface Ethernet0/0",
    `ip address ${v4} ${ddnMask(Number(v4len))}`,
    "no ipv6 address",
    `ipv6 address ${v6}/${Number(v6len)}`,
    "exit",
    `ip route vrf clab-mgmt 0.0.0.0 0.0.0.0 Ethernet0/0 ${node.gateways?.ipv4 ?? ""}`,
    `ipv6 route vrf clab-mgmt ::/0 Ethernet0/0 ${node.gateways?.ipv6 ?? ""}`,
    "end",
    "wr",
    "",
  ].join("\r");
}

async function iolPostDeploy(ctx: PostDeployContext): Promise<void> {
  await ctx.writeFile("boot_config.txt", iolBootConfig(ctx.node));
  if (ctx.node.firstBoot !== false) return;
  // IOL waits 5 s before it boots; its console answers a little after.
  await ctx.sleep(10_000);
  ctx.info("booting from its nvram: typing the management address into its console");
  await ctx.console(iolMgmtUpdate(ctx.node));
}

export default container({
  name: "cisco_iol",
  aliases: [],
  // Its management traffic goes without checksums unless the host end fills them in.
  mgmtTxOffloadOff: "host-end",
  types: { valid: ["iol", "l2"] },
  indexEnv: (index) => ({ IOL_PID: pid(index) }),
  indexBinds: (index) => [
    `__clabNodeDir__/${nvramFile(index)}:/iol/${nvramFile(index)}`,
    "__clabNodeDir__/boot_config.txt:/iol/config.txt",
    "__clabNodeDir__/iouyap.ini:/iol/iouyap.ini",
    "__clabNodeDir__/NETMAP:/iol/NETMAP",
  ],
  linkFiles: ({ index, ifaces }) => {
    const { netmap, iouyap } = iolWiring(
      index,
      ifaces.map((i) => i.iface),
    );
    return [
      // An existing nvram is the node's saved state: kept.
      { path: nvramFile(index), text: "", keep: true },
      // Empty until the node runs: the post-deploy writes it with the engine's addresses.
      { path: "boot_config.txt", text: "" },
      { path: "iouyap.ini", text: iouyap },
      { path: "NETMAP", text: netmap },
    ];
  },
  startupConfigRaw: true,
  postDeploy: { what: "the boot configuration", run: iolPostDeploy },
  saveSsh: "write memory",
  credentials: { username: "admin", password: "admin" },
  platform: { scrapli: "cisco_ios", napalm: "ios" },
  interfaces: { help: HELP, map: iolInterface },
});
