import { LabError } from "../errors.ts";
import { composite } from "./interfaces.ts";
import { chassisBaseMac } from "./mac.ts";
import { nosHostsBlock } from "./nos-hosts.ts";
import { SRL_TYPES, srlTopology } from "./srl-chassis.ts";
import type { PostDeployContext, RunningNode } from "./types.ts";
import { container } from "./vrnetlab.ts";

// Nokia SR Linux as Containerlab's nodes/srl sets it up: a node type (chassis) written to
// /tmp/topology.yml with a base MAC that is also the management MAC, the config dir bound over
// /etc/opt/srlinux, /run/netns on tmpfs, a certificate; once it runs and its management server has
// loaded its initial configuration, unless a saved config.json is there, lab pushes a default
// configuration (TLS profile from the certificate, gRPC, JSON-RPC, NETCONF, SNMP, ACLs for them,
// LLDP, link addresses and MTUs, the user's SSH keys) and a CLI startup-config, commits, saves and
// takes a checkpoint. What is pushed depends on the running release, as Containerlab's does.

const SR_CLI = "/opt/srlinux/bin/sr_cli";
/** Where the configuration files go: the node's config dir, which is the container's /etc/opt/srlinux. */
const CFG_DIR = "config";
const IN_NODE = "/etc/opt/srlinux";

/** The chassis base MAC, also mgmt0's (1a:…). */
export const srlBaseMac = ({ lab, index }: { lab: string; name: string; index: number }) =>
  chassisBaseMac("1a", lab, index);

export interface SrlVersion {
  major: number;
  minor: number;
  patch: number;
  /** The version string as the node reports it, v25.3.1-123-abcdef; "" when it could not be read. */
  text: string;
}

/** `info from state /system information version` → the release (0.0.0 when unreadable: everything enabled). */
export function parseSrlVersion(out: string): SrlVersion {
  const m = /v(\d{1,3})\.(\d{1,2})\.(\d{1,3})-(\d{1,4})-(\S+)/.exec(out);
  if (!m) return { major: 0, minor: 0, patch: 0, text: "" };
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), text: m[0] };
}

/** At least major.minor, or an unknown release (Containerlab enables everything then). */
const atLeast = (v: SrlVersion, major: number, minor: number) =>
  v.major === 0 || v.major > major || (v.major === major && v.minor >= minor);

/** An ACL rule letting one TCP port in on the CPM filter (lab's own descriptions). */
function acl(family: "ipv4" | "ipv6", entry: number, port: number, direction: "source" | "destination", what: string) {
  const base = `set / acl acl-filter cpm type ${family} entry ${entry}`;
  return [
    `${base} description "lab: accept ${what}"`,
    `${base} match ${family === "ipv4" ? "ipv4 protocol" : "ipv6 next-header"} tcp`,
    `${base} match transport ${direction}-port operator eq`,
    `${base} match transport ${direction}-port value ${port}`,
    `${base} action accept`,
  ];
}

/** A gRPC server on the mgmt network instance. */
function grpcServer(name: string, lines: string[]) {
  return lines.map((l) => `set / system grpc-server ${name} ${l}`);
}

/**
 * The default configuration for a running node of release `v` (SR Linux CLI; the paths are the
 * NOS's own). Containerlab's version gates: SSH keys from 23.10, ACLs from 24.3 (gRPC/SNMP moved
 * then), NETCONF from 24.7, EDA servers and OpenConfig from 24.10, NDK from 25.3, tls profile
 * (was server-profile) and dns-instance from 26.3.
 */
export function srlDefaultConfig(
  node: RunningNode,
  v: SrlVersion,
  openconfig: boolean,
  prompt?: string,
  /** CLAB_EDA_USE_DEFAULT_GRPC_SERVER: EDA uses the default mgmt gRPC server instead of its own two. */
  edaOnDefaultServer = false,
): string {
  const out = [
    ...tlsLines(node, v),
    ...(atLeast(v, 24, 3) ? managementLines() : legacyManagementLines()),
    ...(v.major === 23 && v.minor === 10
      ? ["system gnmi-server unix-socket services [ gnmi gnoi ] admin-state enable"]
      : []),
    ...(atLeast(v, 24, 10) ? edaLines(edaOnDefaultServer, openconfig) : []),
    ...dnsLines(node, v),
    ...apiLines(v),
    "set / system lldp admin-state enable",
    "set / system aaa authentication idle-timeout 7200",
    ...interfaceLines(node),
    ...sshKeyLines(node, v),
    `set / system banner login-banner "SR Linux ${v.text || ""} in a lab deployed by lab: ${node.name}"`,
    // The CLI prompt on a line of its own, the original kept (Containerlab's custom prompt).
    ...(prompt !== undefined
      ? [
          "environment save file /home/admin/srlinux_orig.rc",
          `environment prompt "\\n${prompt}"`,
          "environment save file /home/admin/.srlinuxrc",
        ]
      : []),
  ];
  return `${out.join("\n")}\n`;
}

/** The node's certificate as the clab-profile TLS profile (server-profile before 26.3). */
function tlsLines(node: RunningNode, v: SrlVersion): string[] {
  const tls = node.tls;
  if (!tls) return [];
  const p = `set / system tls ${atLeast(v, 26, 3) ? "profile" : "server-profile"} clab-profile`;
  return [
    p,
    `${p} key "${tls.key.trim()}"`,
    `${p} certificate "${tls.cert.trim()}"`,
    ...(tls.anchor
      ? [`${p} authenticate-client true`, `${p} trust-anchor "${tls.anchor.trim()}"`]
      : [`${p} authenticate-client false`]),
  ];
}

/** From 24.3: ACL entries for telnet and HTTP, the mgmt and insecure-mgmt gRPC servers, SNMP. */
function managementLines(): string[] {
  const services = "services [ gnmi gnoi gnsi gribi p4rt ]";
  const common = ["rate-limit 65000", "network-instance mgmt", "trace-options [ request response common ]"];
  return [
    ...acl("ipv4", 88, 23, "source", "Telnet the other host initiates"),
    ...acl("ipv4", 98, 23, "destination", "Telnet this router initiates"),
    ...acl("ipv4", 158, 80, "destination", "HTTP (JSON-RPC)"),
    ...acl("ipv6", 128, 23, "source", "Telnet the other host initiates"),
    ...acl("ipv6", 138, 23, "destination", "Telnet this router initiates"),
    ...acl("ipv6", 188, 80, "destination", "HTTP (JSON-RPC)"),
    ...grpcServer("mgmt", [
      services,
      "tls-profile clab-profile",
      ...common,
      "unix-socket admin-state enable",
      "admin-state enable",
    ]),
    "delete / system grpc-server mgmt default-tls-profile",
    ...grpcServer("insecure-mgmt", [
      services,
      "port 57401",
      ...common,
      "unix-socket admin-state enable",
      "admin-state enable",
    ]),
    ...acl("ipv4", 358, 57401, "destination", "gRPC for the insecure-mgmt server"),
    ...acl("ipv6", 368, 57401, "destination", "gRPC for the insecure-mgmt server"),
    "set / system snmp access-group SNMPv2-RO-Community security-level no-auth-no-priv community-entry RO-Community community public",
    "set / system snmp network-instance mgmt admin-state enable",
  ];
}

/** Before 24.3: the gNMI server and SNMP as they were configured then. */
function legacyManagementLines(): string[] {
  return [
    "set / system gnmi-server admin-state enable network-instance mgmt admin-state enable tls-profile clab-profile",
    "set / system gnmi-server rate-limit 65000",
    "set / system gnmi-server trace-options [ request response common ]",
    "set / system gnmi-server unix-socket admin-state enable",
    "set / system snmp community public",
    "set / system snmp network-instance mgmt admin-state enable",
  ];
}

/** From 24.10: EDA's discovery and management gRPC servers (or the default one), and OpenConfig. */
function edaLines(edaOnDefaultServer: boolean, openconfig: boolean): string[] {
  const eda = [
    "admin-state enable",
    "rate-limit 65535",
    "session-limit 1024",
    "metadata-authentication true",
    "network-instance mgmt",
  ];
  return [
    ...grpcServer("eda-discovery", ["services [ gnmi gnsi ]", "port 50052", "default-tls-profile true", ...eda]),
    ...acl("ipv4", 355, 50052, "destination", "gRPC for the eda-discovery server"),
    ...acl("ipv6", 365, 50052, "destination", "gRPC for the eda-discovery server"),
    ...(edaOnDefaultServer
      ? grpcServer("mgmt", ["metadata-authentication true", "tls-profile EDA"])
      : [
          ...grpcServer("eda-mgmt", ["services [ gnmi gnoi gnsi ]", "port 57410", "tls-profile EDA", ...eda]),
          ...acl("ipv4", 356, 57410, "destination", "gRPC for the eda-mgmt server"),
          ...acl("ipv6", 366, 57410, "destination", "gRPC for the eda-mgmt server"),
          ...grpcServer("eda-insecure-mgmt", ["services [ gnmi gnoi gnsi ]", "port 57411", ...eda]),
          ...acl("ipv4", 357, 57411, "destination", "gRPC for the eda-insecure-mgmt server"),
          ...acl("ipv6", 367, 57411, "destination", "gRPC for the eda-insecure-mgmt server"),
        ]),
    ...(openconfig ? ["set / system management openconfig admin-state enable"] : []),
  ];
}

function dnsLines(node: RunningNode, v: SrlVersion): string[] {
  const dns = node.dns ?? [];
  if (!dns.length) return [];
  const instance = atLeast(v, 26, 3) ? "dns-instance clab-default" : "dns";
  return [
    `set / system ${instance} network-instance mgmt`,
    `set / system ${instance} server-list [ ${dns.join(" ")} ]`,
  ];
}

/** JSON-RPC always; NETCONF from 24.7; the NDK server from 25.3. */
function apiLines(v: SrlVersion): string[] {
  return [
    "set / system json-rpc-server admin-state enable network-instance mgmt http admin-state enable",
    "set / system json-rpc-server admin-state enable network-instance mgmt https admin-state enable tls-profile clab-profile",
    ...(atLeast(v, 24, 7)
      ? [
          "set / system netconf-server mgmt admin-state enable ssh-server mgmt-netconf",
          "set / system ssh-server mgmt-netconf admin-state enable",
          "set / system ssh-server mgmt-netconf network-instance mgmt",
          "set / system ssh-server mgmt-netconf port 830",
          "set / system ssh-server mgmt-netconf disable-shell true",
        ]
      : []),
    ...(atLeast(v, 25, 3) ? ["set / system ndk-server admin-state enable"] : []),
  ];
}

/** The management MTU, and each linked interface up with its MTU, breakout and addresses. */
function interfaceLines(node: RunningNode): string[] {
  const out: string[] = [];
  if (node.mgmtMtu) out.push(`set / interface mgmt0 subinterface 0 ip-mtu ${node.mgmtMtu}`);
  for (const i of node.interfaces ?? []) {
    if (i.iface === "mgmt0") {
      if (i.mtu)
        out.push(`set / interface mgmt0 mtu ${i.mtu}`, `set / interface mgmt0 subinterface 0 ip-mtu ${i.mtu - 14}`);
      continue;
    }
    const [slot, port, breakout] = i.iface.replace(/^e/, "").split("-");
    const base = `ethernet-${slot}/${port}`;
    const full = breakout ? `${base}/${breakout}` : base;
    out.push(`set / interface ${base} admin-state enable`);
    if (i.mtu) out.push(`set / interface ${base} mtu ${i.mtu}`);
    if (breakout)
      out.push(
        `set / interface ${base} breakout-mode num-breakout-ports 4 breakout-port-speed 25G`,
        `set / interface ${full} admin-state enable`,
      );
    if (i.ipv4 || i.ipv6) out.push(`set / interface ${full} subinterface 0 admin-state enable`);
    for (const [fam, addr] of [
      ["ipv4", i.ipv4],
      ["ipv6", i.ipv6],
    ] as const)
      if (addr)
        out.push(
          `set / interface ${full} subinterface 0 ${fam} address ${addr}`,
          `set / interface ${full} subinterface 0 ${fam} admin-state enable`,
        );
  }
  return out;
}

/** The user's SSH keys (at most 32) for admin and linuxadmin, from 23.10. */
function sshKeyLines(node: RunningNode, v: SrlVersion): string[] {
  const keys = (node.sshKeys ?? []).slice(0, 32);
  if (!keys.length || !atLeast(v, 23, 10)) return [];
  const list = keys.map((k) => `"${k.type} ${k.key}"`).join(" ");
  return [
    `set / system aaa authentication linuxadmin-user ssh-key [ ${list} ]`,
    `set / system aaa authentication admin-user ssh-key [ ${list} ]`,
  ];
}

/** Where SR Linux finds NDK apps (the repository files Containerlab mounts). */
const SRL_YUM_REPO = "[srlinux]\nname=SR Linux NDK apps\nbaseurl=https://srlinux.fury.site/yum/\nenabled=1\ngpgcheck=0";
const SRL_APT_REPO = "deb [trusted=yes] https://srlinux.fury.site/apt/ /";

/** Runs a file of CLI commands as admin in candidate mode (sr_cli -ed), as Containerlab does. */
async function applyCli(ctx: PostDeployContext, file: string, text: string, what: string) {
  await ctx.writeFile(`${CFG_DIR}/${file}`, text, 0o600);
  try {
    const r = await ctx.exec(["bash", "-c", `su -s /bin/bash admin -c '${SR_CLI} -ed < ${IN_NODE}/${file}'`]);
    if (r.code !== 0 || r.stderr.trim())
      throw new LabError("remote", `${what}: ${(r.stderr || r.stdout).trim().split("\n")[0]}`);
  } finally {
    await ctx.removeFile(`${CFG_DIR}/${file}`);
  }
}

async function srlPostDeploy(ctx: PostDeployContext): Promise<void> {
  const node = ctx.node;
  // The NOS's hosts file gets the lab's nodes (the engine's file for the container, appended).
  const hosts = nosHostsBlock(node.peers ?? []);
  await ctx.exec(["bash", "-c", `cat >> /etc/hosts <<'LAB_EOF'\n${hosts}LAB_EOF`]);
  const ready = await ctx.waitUntil(async () => {
    const state = await ctx.exec([
      SR_CLI,
      "-d",
      "info from state system app-management application mgmt_server state | grep running",
    ]);
    if (state.code !== 0 || state.stderr.trim() || !state.stdout.includes("running")) return false;
    const marker = await ctx.exec(["cat", "/etc/opt/srlinux/devices/app_ephemeral.mgmt_server.ready_for_config"]);
    return marker.code === 0 && !marker.stderr.trim() && marker.stdout.includes("loaded initial configuration");
  });
  if (!ready) throw new LabError("remote", "its management server never loaded its initial configuration");
  // A saved configuration boots as it was: nothing to add.
  if (await ctx.fileExists(`${CFG_DIR}/config.json`)) return;
  const version = parseSrlVersion(
    (await ctx.exec(["sr_cli", "-d", "info from state /system information version | grep version"])).stdout,
  );
  const openconfig =
    (await ctx.exec(["sr_cli", "-d", "info from state system features | grep openconfig"])).stdout.trim() !== "";
  // Unless CLAB_CUSTOM_PROMPT=false, the node's own prompt moves to a line of its own.
  let prompt: string | undefined;
  if (ctx.hostEnv("CLAB_CUSTOM_PROMPT")?.toLowerCase() !== "false") {
    const shown = (await ctx.exec(["sr_cli", "-d", "environment show | grep -A 2 prompt"])).stdout;
    prompt = /value\s+=\s+"(.+)"/.exec(shown)?.[1];
  }
  ctx.info(`SR Linux ${version.text || "(release unknown)"}: pushing the default configuration`);
  await applyCli(
    ctx,
    ".lab-default-config",
    srlDefaultConfig(node, version, openconfig, prompt, !!ctx.hostEnv("CLAB_EDA_USE_DEFAULT_GRPC_SERVER")),
    "default configuration",
  );
  if (node.cliConfig) await applyCli(ctx, ".lab-startup-config", node.cliConfig, "startup-config");
  const commit = await ctx.exec(["bash", "-c", `${SR_CLI} -ed commit save`]);
  if (commit.stderr.trim()) throw new LabError("remote", `commit: ${commit.stderr.trim().split("\n")[0]}`);
  const checkpoint = await ctx.exec([
    "bash",
    "-c",
    `${SR_CLI} /tools system configuration generate-checkpoint name clab-initial comment \\"set by lab\\"`,
  ]);
  if (checkpoint.stderr.trim()) throw new LabError("remote", `checkpoint: ${checkpoint.stderr.trim().split("\n")[0]}`);
}

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
  types: { valid: Object.keys(SRL_TYPES), default: "ixr-d2l" },
  // The second-generation chassis boot their CPMs only (Containerlab sets this unless the node does).
  typeEnv: (type): Record<string, string> =>
    type === "ixr-6e" || type === "ixr-10e" ? { SRL_CHASSIS_MODE: "GEN2CP_ONLY" } : {},
  tmpfs: { "/run/netns": "rw,nosuid,nodev,noexec" },
  mgmtMac: srlBaseMac,
  binds: [
    "__clabNodeDir__/config:/etc/opt/srlinux/:rw",
    "__clabNodeDir__/topology.yml:/tmp/topology.yml:ro",
    // The NDK app repositories, so `sr_cli` / apt / yum can install apps (Containerlab's createRepoFiles).
    "__clabNodeDir__/yum.repo:/etc/yum.repos.d/srlinux.repo:ro",
    "__clabNodeDir__/apt.list:/etc/apt/sources.list.d/srlinux.list:ro",
  ],
  files: ({ type, mac }) => [
    ...(type && mac && SRL_TYPES[type] ? [{ path: "topology.yml", text: srlTopology(type, mac) }] : []),
    { path: "yum.repo", text: SRL_YUM_REPO },
    { path: "apt.list", text: SRL_APT_REPO },
  ],
  // Copied into the node dir and bound from there, as Containerlab's createSRLFiles.
  licenseFile: "license.key",
  licensePath: "/opt/srlinux/etc/license.key",
  issuesCertificate: true,
  hostNeeds: { minKernel: { version: "4.10.0", who: "Nokia SR Linux v23.3.1+" } },
  startupConfig: "config/config.json",
  startupConfigJson: true,
  startupConfigCli: true,
  postDeploy: { what: "the default configuration", run: srlPostDeploy },
  saveCommand: ["sr_cli", "-d", "tools", "system", "configuration", "save"],
  savedConfig: "config/config.json",
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
