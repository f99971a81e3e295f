import { createHash } from "node:crypto";

/**
 * Runs before a NOS's init: waits (up to 300 s) until the CLAB_INTFS links lab adds after the
 * container starts are all there, because some NOSes (cEOS) only take the interfaces present at boot.
 */
const IF_WAIT = `#!/bin/sh
# Written by lab. Waits for the data interfaces lab creates right after the container starts.
want=\${CLAB_INTFS:-0}
count() {
  n=0
  for dev in /sys/class/net/*; do
    case \${dev##*/} in eth0) ;; eth[0-9]* | et[0-9]* | e[0-9]*) n=$((n + 1)) ;; esac
  done
  echo "$n"
}
waited=0
while [ "$(count)" -lt "$want" ] && [ "$waited" -lt 300 ]; do
  sleep 1
  waited=$((waited + 1))
done
echo "if-wait: $(count) of $want interfaces after \${waited}s"
`;

/** cEOS takes its system MAC from flash; each node needs its own, or LLDP and MLAG see one switch. */
function aristaSystemMac(lab: string, name: string): string {
  const h = createHash("sha1").update(`${lab}\0${name}\0system-mac`).digest();
  return ["00", "1c", "73", ...[...h.subarray(0, 3)].map((b) => b.toString(16).padStart(2, "0"))].join(":");
}

/**
 * Containerlab's alias rule for VM kinds: the port number the pattern captures, less the first port
 * the NOS numbers its data ports from, is ethN (eth0 being management).
 */
const portAlias =
  (pattern: RegExp, offset: number, help: string) =>
  (name: string): string | { error: string } | undefined => {
    const m = pattern.exec(name);
    if (!m) return undefined;
    const index = Number(m[1]) - offset + 1;
    return index >= 1 ? `eth${index}` : { error: `interface "${name}" is below the first data port (${help})` };
  };

/** SR Linux: ethernet-L/P[/C] is eL-P[-C]. */
const srlAlias = (name: string) => {
  const m = /^ethernet-(\d+)\/(\d+)(?:\/(\d+))?$/.exec(name);
  return m ? `e${m[1]}-${m[2]}${m[3] ? `-${m[3]}` : ""}` : undefined;
};

/** vrnetlab SR OS without components: 1/1/P and 1/1/cC/1 are ethP and ethC. */
const srosAlias = (name: string): string | { error: string } | undefined => {
  const m = /^(\d+)\/(?:x(\d+)\/)?(\d+)\/(?:c(\d+)\/)?(\d+)$/.exec(name);
  if (!m) return undefined;
  const [, slot, xiom, mda, conn, port] = m;
  if (slot !== "1" || mda !== "1" || xiom)
    return { error: `interface "${name}" cannot be mapped: only slot 1 / mda 1 ports map to ethX names` };
  if (conn && port !== "1") return { error: `interface "${name}" is a breakout sub-port; use its ethX name` };
  return `eth${conn ?? port}`;
};

// Node kinds as a table: what each kind adds to a node's container. Containerlab's per-kind Init
// (nodes/<kind>/*.go) is mirrored here as data; a kind only lists what differs from `linux`.

export type KindRole =
  | "container" // a container lab creates
  | "bridge" // a Linux bridge on the host that must already exist
  | "host" // the host's own network namespace
  | "external" // a container lab did not create and never removes
  | "skip"; // accepted and not deployed (sidecars lab replaces)

export interface KindFile {
  path: string;
  text: string;
  mode?: number;
  /** Written only when absent: the node may have changed it. */
  keep?: boolean;
}

export interface KindDef {
  name: string;
  aliases: string[];
  role: KindRole;
  /** Runs a VM inside the container (vrnetlab): needs /dev/kvm. */
  vm?: boolean;
  /** Why a "skip" kind is skipped. */
  note?: string;
  env?: Record<string, string>;
  /** The container's command; a function when it depends on the node (SR OS: its type). */
  cmd?: string | ((node: { name: string; type?: string }) => string);
  user?: string;
  sysctls?: Record<string, string>;
  binds?: string[];
  restartPolicy?: string;
  stopSignal?: string;
  /** Where a `license:` file is mounted. */
  licensePath?: string;
  /** Files the kind needs in the node dir before the container starts (paths relative to it). */
  files?: (node: { lab: string; name: string }) => KindFile[];
  /** `lab save`: the command that writes the running config where the node boots from. */
  saveCommand?: string[];
  /** Where `startup-config:` is placed, relative to the node dir (a kind bind exposes it). */
  startupConfig?: string;
  /** The startup-config must be a full JSON configuration (SR Linux reads config.json at boot). */
  startupConfigJson?: boolean;
  /** Data interfaces must match (vrnetlab: eth1 and up). */
  interfacePattern?: RegExp;
  /**
   * The NOS's own interface names (`ethernet-1/1`, `Gi2`, `1/1/3`) mapped to the Linux name the
   * container uses, as Containerlab ≥ 0.56 does. undefined: not an alias, used as written.
   */
  interfaceAlias?: (name: string) => string | { error: string } | undefined;
  credentials?: { username: string; password: string };
}

const vrnetlab = (
  name: string,
  aliases: string[],
  credentials = { username: "admin", password: "admin" },
  interfaceAlias?: KindDef["interfaceAlias"],
): KindDef => ({
  name,
  interfaceAlias,
  aliases,
  role: "container",
  vm: true,
  env: { USERNAME: credentials.username, PASSWORD: credentials.password, CONNECTION_MODE: "tc" },
  cmd: `--username ${credentials.username} --password ${credentials.password} --hostname __clabNodeName__ --connection-mode tc --trace`,
  binds: ["__clabNodeDir__/config:/config"],
  licensePath: "/tftpboot/license.txt",
  startupConfig: "config/startup-config.cfg",
  interfacePattern: /^eth[1-9][0-9]*$/,
  credentials,
});

const container = (name: string, aliases: string[] = [], extra: Partial<KindDef> = {}): KindDef => ({
  name,
  aliases,
  role: "container",
  ...extra,
});

export const KINDS: KindDef[] = [
  container("linux", [], {
    restartPolicy: "always",
    sysctls: { "net.ipv6.conf.all.disable_ipv6": "0" },
    stopSignal: "SIGKILL",
  }),
  { name: "bridge", aliases: [], role: "bridge" },
  { name: "ovs-bridge", aliases: [], role: "bridge" },
  { name: "host", aliases: [], role: "host" },
  { name: "ext-container", aliases: [], role: "external" },
  container("nokia_srlinux", ["srl"], {
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
    interfaceAlias: srlAlias,
  }),
  container("arista_ceos", ["ceos"], {
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
    cmd: "bash -c '/mnt/flash/if-wait.sh ; exec /sbin/init systemd.setenv=INTFTYPE=eth systemd.setenv=ETBA=1 systemd.setenv=SKIP_ZEROTOUCH_BARRIER_IN_SYSDBINIT=1 systemd.setenv=CEOS=1 systemd.setenv=EOS_PLATFORM=ceoslab systemd.setenv=container=docker systemd.setenv=MAPETH0=1 systemd.setenv=MGMT_INTF=eth0'",
    binds: ["__clabNodeDir__/flash:/mnt/flash/"],
    files: ({ lab, name }) => [
      { path: "flash/if-wait.sh", text: IF_WAIT, mode: 0o755 },
      { path: "flash/system_mac_address", text: aristaSystemMac(lab, name), keep: true },
    ],
    startupConfig: "flash/startup-config",
    saveCommand: ["Cli", "-p", "15", "-c", "wr"],
    stopSignal: "SIGRTMIN+3",
    credentials: { username: "admin", password: "admin" },
  }),
  // SR OS boots from tftpboot/config.txt (and reads its license there), as Containerlab lays it out.
  {
    ...vrnetlab("nokia_sros", ["vr-sros", "vr-nokia_sros"], undefined, srosAlias),
    // vrnetlab's SR OS takes its variant from the node type (sr-1 when none), not credentials.
    cmd: ({ name, type }) => `--trace --connection-mode tc --hostname ${name} --variant "${type ?? "sr-1"}"`,
    binds: ["__clabNodeDir__/tftpboot:/tftpboot"],
    startupConfig: "tftpboot/config.txt",
  },
  vrnetlab("cisco_c8000v", [], undefined, portAlias(/^(?:Gi|GigabitEthernet)\s?(\d+)$/, 2, "GiX, X >= 2")),
  vrnetlab("cisco_csr1000v", ["vr-csr"], undefined, portAlias(/^(?:Gi|GigabitEthernet)\s?(\d+)$/, 2, "GiX, X >= 2")),
  vrnetlab("cisco_xrv", ["vr-xrv"]),
  vrnetlab(
    "cisco_xrv9k",
    ["vr-xrv9k"],
    { username: "clab", password: "clab@123" },
    portAlias(/^(?:Gi|GigabitEthernet|Te|TenGigE|TenGigabitEthernet)\s?0\/0\/0\/(\d+)$/, 0, "Gi0/0/0/X, X >= 0"),
  ),
  vrnetlab("cisco_n9kv", ["vr-n9kv"], undefined, portAlias(/^(?:Ethernet|Et)\s?1\/(\d+)$/, 1, "Ethernet1/X, X >= 1")),
  vrnetlab("cisco_cat9kv", [], undefined, portAlias(/^(?:Gi|GigabitEthernet)\s?1\/0\/(\d+)$/, 1, "Gi1/0/X, X >= 1")),
  vrnetlab("cisco_ftdv", [], undefined, portAlias(/^(?:GigabitEthernet|Gi)\s?0\/(\d+)$/, 0, "Gi0/X, X >= 0")),
  vrnetlab("cisco_asav", []),
  vrnetlab("cisco_vios", [], undefined, portAlias(/^(?:Gi|GigabitEthernet)\s?(\d+)$/, 0, "GiX, X >= 0")),
  vrnetlab("cisco_sdwan", []),
  vrnetlab("juniper_vmx", ["vr-vmx"]),
  vrnetlab("juniper_vqfx", ["vr-vqfx"]),
  vrnetlab("juniper_vsrx", ["vr-vsrx"]),
  vrnetlab("juniper_vjunosrouter", []),
  vrnetlab("juniper_vjunosswitch", []),
  vrnetlab("juniper_vjunosevolved", []),
  vrnetlab("arista_veos", ["vr-veos"]),
  vrnetlab("paloalto_panos", ["vr-pan"], undefined, portAlias(/^Ethernet1\/(\d+)$/, 1, "Ethernet1/X, X >= 1")),
  vrnetlab("mikrotik_ros", ["vr-ros"]),
  vrnetlab("dell_ftosv", [], undefined, portAlias(/^(?:ethernet\s?)?1\/1\/(\d+)$/, 1, "ethernet1/1/X, X >= 1")),
  vrnetlab("dell_sonic", []),
  vrnetlab("aruba_aoscx", [], undefined, portAlias(/^1\/1\/(\d+)$/, 1, "1/1/X, X >= 1")),
  vrnetlab("huawei_vrp", []),
  vrnetlab("ipinfusion_ocnos", []),
  vrnetlab("checkpoint_cloudguard", []),
  vrnetlab("fortinet_fortigate", []),
  vrnetlab("f5_bigip-ve", []),
  vrnetlab("ciena_saos", []),
  vrnetlab("sonic-vm", []),
  vrnetlab("openbsd", []),
  vrnetlab("freebsd", []),
  vrnetlab("openwrt", []),
  vrnetlab("generic_vm", []),
  container("nokia_srsim", []),
  container("juniper_crpd", ["crpd"]),
  container("juniper_csrx", []),
  container("juniper_cjunosevolved", ["cjunosevolved"]),
  container("sonic-vs", []),
  container("plvision_sonic", []),
  container("cisco_xrd", ["xrd"]),
  container("cisco_xrd_vrouter", []),
  container("cisco_c8000", ["c8000"]),
  container("cisco_iol", []),
  container("keysight_ixia-c-one", []),
  container("nvidia_cumulusvx", ["cumulus_cvx", "cvx"]),
  container("vyosnetworks_vyos", []),
  container("arrcus_arcos", []),
  container("fdio_vpp", []),
  container("rare", []),
  container("spirent_stc", []),
  container("veesix_osvbng", []),
  container("6wind_vsr", []),
  container("ostinato", []),
  {
    name: "mysocketio",
    aliases: ["border0"],
    role: "skip",
    note: "lab share publishes ports through the mysocket API itself; this sidecar node is not deployed",
  },
];

const byName = new Map<string, KindDef>();
for (const k of KINDS) for (const n of [k.name, ...k.aliases]) byName.set(n, k);

export function findKind(name: string): KindDef | undefined {
  return byName.get(name);
}

export function kindNames(): string[] {
  return KINDS.map((k) => k.name);
}

export function allKindNames(): string[] {
  return [...byName.keys()];
}
