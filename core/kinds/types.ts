// What a node kind adds to a plain container, as data. Containerlab's per-kind code (nodes/<kind>/)
// is mirrored one kind per file in this folder; a kind lists only what differs from `linux`.

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

/** How a kind names its data interfaces: what a topology may write and what the container gets. */
export interface InterfaceRule {
  /**
   * The Linux name for a name written in the topology (`ethernet-1/1` → `e1-1`, `Gi2` → `eth1`), the
   * name itself when it needs no mapping, or an error saying what is wrong.
   */
  map(name: string): string | { error: string };
  /** The names the kind accepts, for messages. */
  help: string;
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
  /** Interface names: mapping from the NOS's own names, and the names allowed. */
  interfaces?: InterfaceRule;
  /** The kind's default login, as Containerlab's defaultCredentials. */
  credentials?: { username: string; password: string };
  /** Platform names for automation inventories (Nornir with CLAB_NORNIR_PLATFORM_NAME_SCHEMA). */
  platform?: { scrapli?: string; napalm?: string };
  /** Ansible connection settings Containerlab writes for the kind's group. */
  ansible?: { networkOs: string; connection: string };
  /** Links are addressed inside the node by lab (`ipv4`/`ipv6` on links) — plain Linux containers. */
  linuxAddresses?: boolean;
  /** The NOS serves TLS from its first boot, so its node always gets a certificate (SR Linux). */
  issuesCertificate?: boolean;
}
