import { readFileSync } from "node:fs";
import { LabError } from "../errors.ts";
import { IF_WAIT } from "./if-wait.ts";
import type { RunningNode } from "./types.ts";
import { container } from "./vrnetlab.ts";

// Arista cEOS as Containerlab's nodes/ceos sets it up: the ceoslab environment, also handed to
// systemd on the kernel-style command line; a management MAC under Arista's OUI and the system
// MAC one above it in flash; a default configuration that makes the switch reachable (hostname,
// admin user, management route, eAPI, gNMI and NETCONF); a certificate in /persist/secure/ssl; and,
// once it runs, the management and link addresses pushed through its CLI and saved.

/**
 * The configuration a cEOS node boots with when the topology gives none (lab's text; the keys are
 * what EOS reads). CLAB_MGMT_VRF in the node's env puts management in that VRF.
 */
const DEFAULT_CONFIG = `! Written by lab for {{ .ShortName }}: reachable and manageable on first boot.
hostname {{ .ShortName }}
username admin privilege 15 secret admin
!
service routing protocols model multi-agent
!
{{- with .Env.CLAB_MGMT_VRF }}
vrf instance {{ . }}
!
{{- end }}
{{- if .MgmtIPv4Gateway }}
ip route {{ with .Env.CLAB_MGMT_VRF }}vrf {{ . }} {{ end }}0.0.0.0/0 {{ .MgmtIPv4Gateway }}
{{- end }}
{{- if .MgmtIPv6Gateway }}
ipv6 route {{ with .Env.CLAB_MGMT_VRF }}vrf {{ . }} {{ end }}::/0 {{ .MgmtIPv6Gateway }}
{{- end }}
!
interface {{ .MgmtIntf }}
{{- with .Env.CLAB_MGMT_VRF }}
   vrf {{ . }}
{{- end }}
{{- if .MgmtIPv4Address }}
   ip address {{ .MgmtIPv4Address }}/{{ .MgmtIPv4PrefixLength }}
{{- end }}
{{- if .MgmtIPv6Address }}
   ipv6 address {{ .MgmtIPv6Address }}/{{ .MgmtIPv6PrefixLength }}
{{- end }}
!
management api gnmi
   transport grpc default
{{- with .Env.CLAB_MGMT_VRF }}
      vrf {{ . }}
{{- end }}
!
management api netconf
   transport ssh default
{{- with .Env.CLAB_MGMT_VRF }}
      vrf {{ . }}
{{- end }}
!
management api http-commands
   no shutdown
{{- with .Env.CLAB_MGMT_VRF }}
   !
   vrf {{ . }}
      no shutdown
{{- end }}
!
end
`;

/** cEOS's system MAC: the management MAC with its last byte one up (wrapping, as Containerlab's m[5]++). */
export function nextMac(mac: string): string {
  const bytes = mac.split(":");
  const last = (Number.parseInt(bytes.at(-1) as string, 16) + 1) & 0xff;
  return [...bytes.slice(0, -1), last.toString(16).padStart(2, "0")].join(":");
}

/** Management0, unless a bound EosIntfMapping.json names eth0 otherwise (Containerlab's setMgmtInterface). */
function mgmtIntf({ binds }: { binds: string[] }): string {
  const mapping = binds.find((b) => b.includes("EosIntfMapping.json"));
  if (!mapping) return "Management0";
  const file = mapping.split(":")[0] as string;
  let parsed: { ManagementIntf?: { eth0?: string } };
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new LabError("input", `cannot read the interface mapping ${file}: ${(error as Error).message}`);
  }
  return parsed.ManagementIntf?.eth0 ?? "";
}

/** The CLI lines Containerlab's cEOS post-deploy sends, then saved to flash. */
export function ceosPostDeployLines(node: RunningNode): string[] {
  const lines = ["configure", `interface ${node.mgmtIntf}`, "no ip address", "no ipv6 address"];
  if (node.mgmtIpv4) lines.push(`ip address ${node.mgmtIpv4}`);
  if (node.mgmtIpv6) lines.push(`ipv6 address ${node.mgmtIpv6}`);
  for (const l of node.links) {
    if (l.iface === node.mgmtIntf || (!l.ipv4 && !l.ipv6)) continue;
    lines.push(`interface ${l.iface}`, "no switchport", "no ip address", "no ipv6 address");
    if (l.ipv4) lines.push(`ip address ${l.ipv4}`);
    if (l.ipv6) lines.push(`ipv6 address ${l.ipv6}`);
  }
  lines.push("end", "write");
  return lines;
}

/** Arista cEOS (Containerlab: nodes/ceos). */
export default container({
  name: "arista_ceos",
  aliases: ["ceos"],
  env: {
    CEOS: "1",
    EOS_PLATFORM: "ceoslab",
    container: "docker",
    ETBA: "1",
    SKIP_ZEROTOUCH_BARRIER_IN_SYSDBINIT: "1",
    INTFTYPE: "eth",
    MAPETH0: "1",
    MGMT_INTF: "eth0",
  },
  // Every variable, the node's own included, also goes to systemd (sorted: Go's map order is random).
  cmd: ({ env }) =>
    `bash -c '/mnt/flash/if-wait.sh ; exec /sbin/init ${Object.keys(env)
      .sort()
      .map((k) => `systemd.setenv="${k}=${env[k]}" `)
      .join("")}'`,
  mgmtMacOui: "00:1c:73",
  mgmtIntf,
  binds: [
    "__clabNodeDir__/flash:/mnt/flash/",
    "__clabNodeDir__/ssl/node.key:/persist/secure/ssl/keys/node.key",
    "__clabNodeDir__/ssl/node.crt:/persist/secure/ssl/certs/node.crt",
    "__clabNodeDir__/ssl/ca.crt:/persist/secure/ssl/certs/ca.crt",
  ],
  issuesCertificate: true,
  tlsFiles: { key: "ssl/node.key", cert: "ssl/node.crt", ca: "ssl/ca.crt" },
  files: ({ mac }) => [
    { path: "flash/if-wait.sh", text: IF_WAIT, mode: 0o755 },
    ...(mac ? [{ path: "flash/system_mac_address", text: nextMac(mac), keep: true }] : []),
  ],
  startupConfig: "flash/startup-config",
  defaultConfig: DEFAULT_CONFIG,
  postDeploy: {
    what: "management and link addresses",
    command: (node) => ["Cli", "-p", "15", "-c", ceosPostDeployLines(node).join("\n")],
  },
  saveCommand: ["Cli", "-p", "15", "-c", "wr"],
  savedConfig: "flash/startup-config",
  stopSignal: "SIGRTMIN+3",
  credentials: { username: "admin", password: "admin" },
  platform: { scrapli: "arista_eos", napalm: "eos" },
  interfaces: {
    help: "ethX or etX, where X consists of alphanumerical characters",
    // Go's regexp is not anchored at the start: any name ending in eth1… or et1… passes.
    map: (name) =>
      /eth[1-9][\w.]*$|et[1-9][\w.]*$/.test(name)
        ? name
        : {
            error: `interface name "${name}" doesn't match the required pattern; interfaces should be named as ethX or etX, where X consists of alphanumerical characters`,
          },
  },
});
