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
  /** A symbolic link to this (relative) target instead of a file (Spirent's cgroup v1 tree). */
  link?: string;
}

/** How a kind names its data interfaces: what a topology may write and what the container gets. */
export interface InterfaceRule {
  /**
   * The Linux name for a name written in the topology (`ethernet-1/1` → `e1-1`, `Gi2` → `eth1`), the
   * name itself when it needs no mapping, or an error saying what is wrong.
   */
  map(name: string, node?: { components: Record<string, unknown>[] }): string | { error: string };
  /** The names the kind accepts, for messages. */
  help: string;
}

/** A deployed node as a kind's post-deploy step sees it: what the engine gave it, and its links. */
export interface RunningNode {
  name: string;
  /** Management addresses with prefix length (`172.20.20.2/24`), as the engine assigned them. */
  mgmtIpv4?: string;
  mgmtIpv6?: string;
  /** The NOS's name for its management interface (`Management0`). */
  mgmtIntf: string;
  /** Data interfaces with `ipv4`/`ipv6` set on their links, in the topology's order. */
  links: { iface: string; ipv4?: string; ipv6?: string }[];
  /** Every data interface with its link's MTU (0: the default), in the topology's order. */
  interfaces?: { iface: string; mtu: number; ipv4?: string; ipv6?: string }[];
  /** The node's certificate (PEM), when it has one. */
  tls?: { cert: string; key: string; anchor: string };
  /** A startup-config in the NOS's CLI format, applied after boot (SR Linux). */
  cliConfig?: string;
  /** DNS servers the topology gives the node. */
  dns?: string[];
  /** The management network's MTU (0: the engine's default). */
  mgmtMtu?: number;
  /** The lab's other nodes with their management addresses (for a NOS's own hosts file). */
  peers?: { name: string; ipv4?: string; ipv6?: string }[];
  /** The node's `type:`. */
  type?: string;
  /** The management network's gateways. */
  gateways?: { ipv4?: string; ipv6?: string };
  /** The startup-config as written (not rendered), for kinds that render it themselves (IOL). */
  rawConfig?: { text: string; file?: string };
  /** The node has a `license:` file. */
  licensed?: boolean;
  /** The deploying user's SSH public keys (~/.ssh/*.pub), as Containerlab hands them to NOS kinds. */
  sshKeys?: { type: string; key: string }[];
  /** The node's login (the topology's credentials, else the kind's). */
  username?: string;
  password?: string;
  /** The container's environment as lab set it. */
  env?: Record<string, string>;
  /** The node boots a full startup-config of the user's (not a default one, not a `.partial`). */
  fullStartupConfig?: boolean;
  /** The node is several containers (a distributed chassis); this one is its preferred control card. */
  distributed?: boolean;
  /** False when the node kept state from an earlier deploy (IOL's nvram): it boots from that, not lab's files. */
  firstBoot?: boolean;
}

/**
 * Where a node's certificate goes in its node dir. Without `ca`, the files sit in a directory the
 * kind binds (SR-SIM's cf3), so nothing is written when the node has no certificate.
 */
export interface TlsPlaces {
  key: string;
  cert: string;
  ca?: string;
}

/** What a kind's `layout` reads of a node. */
export interface LayoutInput {
  name: string;
  type: string;
  env: Record<string, string>;
  /** The node's `components:` entries as written. */
  components: Record<string, unknown>[];
  /** The node's `startup-config:` as written (a path or URL), if it has one. */
  startupConfig?: string;
}

/** A container of a node deployed as several (a distributed chassis's card). */
export interface ComponentContainer {
  /** Its slot, lower-cased into its name (`<node>-a`). */
  slot: string;
  /** Its variables over the node's. */
  env: Record<string, string>;
  /** Binds it has besides the node's own (its flashes); `__clabNodeDir__` is the node dir. */
  binds: string[];
  /** A control card: it gets the node's licence and configuration. */
  cpm: boolean;
}

export interface NodeLayout {
  /** Variables over the kind's defaults, under the node's own env. */
  env: Record<string, string>;
  /** Binds the node's container gets; `__clabNodeDir__` is the node dir. */
  binds: string[];
  /** Where the startup-config goes, relative to the node dir (each control card's). */
  startupConfigs: string[];
  /**
   * Distributed: containers in creation order. The first holds the network namespace; the last is the
   * node's own (its preferred control card), where exec and post-deploy go.
   */
  containers?: ComponentContainer[];
}

/** What a kind's default configuration is made from, when it depends on the node. */
export interface DefaultConfigInput {
  name: string;
  type: string;
  env: Record<string, string>;
  components: Record<string, unknown>[];
  /** The node has a certificate. */
  secure: boolean;
  sshKeys: { type: string; key: string }[];
}

/** What a kind's deploy-time configuration is made from. */
export interface InitConfigInput {
  name: string;
  /** A configuration the node saved into its node dir, if any (read at deploy). */
  saved(path: string): string | undefined;
  /** The node's startup-config, rendered, if it has one. */
  startupConfig?: string;
  /** The node's licence file's text, if it has one. */
  license?: string;
  sshKeys: { type: string; key: string }[];
}

/** What a kind's post-deploy code can do with its node (the executor's side of the table). */
export interface PostDeployContext {
  node: RunningNode;
  /** Runs a command in the node's container. */
  exec(cmd: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** The container's health as the engine reports it (none: the image has no healthcheck). */
  health(): Promise<"healthy" | "unhealthy" | "starting" | "none">;
  /** Types `lines` into the NOS's CLI over SSH (management address, the node's login); the session's output. */
  cli(lines: string[]): Promise<string>;
  /** RPCs (the inner XML of each <rpc>) in one NETCONF session on the management address; the replies. */
  netconf(rpcs: string[]): Promise<string[]>;
  /** A TCP port on the management address accepts connections. */
  portOpen(port: number): Promise<boolean>;
  /** Types `text` into the container's console (its stdin), as `docker attach` would. */
  console(text: string): Promise<void>;
  /** Waits, unless the deploy is interrupted. */
  sleep(ms: number): Promise<void>;
  /** Calls `onLine` for each line of the container's log from its start; the function returned stops it. */
  followLog(onLine: (line: string) => void): () => void;
  /** Retries `check` every second until it is true, within the post-deploy timeout; false when it never was. */
  waitUntil(check: () => Promise<boolean>): Promise<boolean>;
  /** Files in the node dir, on the node's host (bound into the container by the kind). */
  writeFile(path: string, text: string, mode?: number): Promise<void>;
  removeFile(path: string): Promise<void>;
  fileExists(path: string): Promise<boolean>;
  info(message: string): void;
  warn(message: string): void;
  /** A variable of the environment lab runs in (CLAB_CUSTOM_PROMPT and the like). */
  hostEnv(name: string): string | undefined;
}

/** Configuration a kind pushes once the node runs (Containerlab's PostDeploy). */
export interface PostDeploy {
  /** What it does, for logs ("management and link addresses"). */
  what: string;
  /** Files written into the node dir first, from what the engine gave the node (XRd: its IPv6 script). */
  files?(node: RunningNode): KindFile[];
  /**
   * The command run in the node's container; it is retried until it succeeds (the NOS may still be
   * booting), within the node's post-deploy timeout. Nothing to run: undefined.
   */
  command?(node: RunningNode): string[] | undefined;
  /** Commands started in the container without waiting for them (SONiC's supervisord). */
  detached?: string[][];
  /**
   * Steps that need their own logic (SR Linux: wait for its management server, read its version,
   * push a version-specific configuration). An Error is the reason it did not complete.
   */
  run?(ctx: PostDeployContext): Promise<void>;
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
  /** The container's command; a function when it depends on the node (SR OS: its type, cEOS: its env). */
  cmd?:
    | string
    | ((node: {
        name: string;
        type?: string;
        env: Record<string, string>;
        components: Record<string, unknown>[];
        /** The node's login (the topology's, else the kind's). */
        credentials: { username?: string; password?: string };
      }) => string);
  /** The management interface gets a MAC under this OUI, stable per lab and node (cEOS: 00:1c:73). */
  mgmtMacOui?: string;
  /** The NOS's name for its management interface, as templates see it (.MgmtIntf); eth0 otherwise. */
  mgmtIntf?: (node: { binds: string[] }) => string;
  /**
   * The configuration written when the topology gives none (a Go template over the node's data,
   * like a startup-config): what makes the node reachable and manageable on its first boot.
   */
  defaultConfig?: string | ((node: DefaultConfigInput) => string);
  /** Configuration pushed once the node runs. */
  postDeploy?: PostDeploy;
  /** The node dir's group, with group rwx that new files inherit (VyOS: vyattacfg, gid 102). */
  nodeDirGroup?: number;
  /** The certificate key templates see (.TLSKey) is PKCS#8, not PKCS#1 (VyOS reads only that). */
  tlsKeyPkcs8?: boolean;
  /** Where the node's certificate, key and CA go in its node dir when it has one (cEOS: ssl/). */
  tlsFiles?: { key: string; cert: string; ca: string } | ((node: { env: Record<string, string> }) => TlsPlaces);
  /** A memory limit from the image's tag when the node sets none (Cumulus VX). */
  defaultMemory?: (tag: string) => string;
  /** The container's entrypoint, over the node's own (Containerlab's Init sets it unconditionally). */
  entrypoint?: string;
  user?: string;
  sysctls?: Record<string, string>;
  binds?: string[];
  restartPolicy?: string;
  stopSignal?: string;
  /** Where a `license:` file is mounted (from its copy in the node dir when `licenseFile` is set too). */
  licensePath?: string;
  /** The NOS does not boot without a licence (SR-SIM): a node without `license:` is an error. */
  licenseRequired?: boolean;
  /** Where a `license:` file is copied in the node dir instead (cRPD reads it from its config dir). */
  licenseFile?: string;
  /** Files the kind needs in the node dir before the container starts (paths relative to it). */
  files?: (node: { lab: string; name: string; mac?: string; type?: string }) => KindFile[];
  /** Node types the kind takes (`type:`; an empty list takes any), and the one a node without a type gets. */
  types?: { valid: string[]; default?: string };
  /** Environment defaults by node type (SR Linux's chassis mode); the node's own env wins. */
  typeEnv?: (type: string) => Record<string, string>;
  /** tmpfs mounts the kind adds (SR Linux: /run/netns). */
  tmpfs?: Record<string, string>;
  /** The variable the management MAC is also given in (SR-SIM: NOKIA_SROS_SYSTEM_BASE_MAC); the node's own env wins. */
  mgmtMacEnv?: string;
  /** The management MAC, when the kind derives it from the node (SR Linux: its chassis base MAC). */
  mgmtMac?: (node: { lab: string; name: string; index: number }) => string;
  /** `lab save`: the command that writes the running config where the node boots from. */
  saveCommand?: string[];
  /** `lab save` over NETCONF (port 830, the kind's credentials): copy-config running → startup. */
  saveNetconf?: boolean;
  /** Instead of NETCONF, lines typed into the NOS's SSH CLI, when the node's env says (SR-SIM in classic mode). */
  saveCliLines?: (env: Record<string, string>) => string[] | undefined;
  /**
   * `lab save` over the NOS's SSH CLI (port 22, the kind's credentials): this command's output is the
   * running config, written where the node boots from (`startupConfig`), as Containerlab's GetConfig.
   */
  saveCli?: string;
  /** What of the `saveCli` output is kept (RouterOS: not the management address). */
  saveFilter?: (config: string) => string;
  /** `lab save` as one command over the NOS's SSH CLI that saves in place (IOL: write memory). */
  saveSsh?: string;
  /**
   * The file a save leaves in the node dir (Containerlab's SaveConfigResult.ConfigPath), which
   * `lab save --copy` copies out; by default the `saveCli` kinds' startup-config. None: nothing to copy.
   */
  savedConfig?: string | ((env: Record<string, string>) => string);
  /** `lab save` by running `saveCommand` in the container and writing its output to this node-dir path (cRPD). */
  saveOutput?: string;
  /** Variables made from the node's data interfaces, in link order (XRd: XR_INTERFACES); the node's own env wins. */
  interfaceEnv?: (ifaces: string[]) => Record<string, string>;
  /** Where `startup-config:` is placed, relative to the node dir (a kind bind exposes it). */
  startupConfig?: string;
  /** The startup-config must be a full JSON configuration (SR Linux reads config.json at boot). */
  startupConfigJson?: boolean;
  /** A startup-config that is not JSON is CLI, applied by the kind's post-deploy once the NOS runs. */
  startupConfigCli?: boolean;
  /** The startup-config is copied as it is, not rendered as a template (SD-WAN's cloud-init and zCloud files). */
  startupConfigVerbatim?: boolean;
  /** vrnetlab VMs are told the management subnets (DOCKER_NET_V4_ADDR/V6); false for those Containerlab does not tell (F5). */
  mgmtSubnetEnv?: false;
  /** A startup-config whose file name has `.partial` is added to the default configuration (SR-SIM). */
  partialIntoDefault?: boolean;
  /** A startup-config whose file name has `.partial` is applied by the post-deploy, not placed (SR OS). */
  partialConfigs?: boolean;
  /** The startup-config goes to the post-deploy as written: the kind renders it with its own data (IOL). */
  startupConfigRaw?: boolean;
  /** Files made from the node's links once they are known (IOL: NETMAP, iouyap.ini). */
  linkFiles?: (node: { index: number; ifaces: { iface: string; ipv4?: string; ipv6?: string }[] }) => KindFile[];
  /** Binds that depend on the node's position (IOL: its nvram file is named by its PID). */
  indexBinds?: (index: number) => string[];
  /**
   * How a node's `components:` are deployed (SR-SIM): the node's variables and startup-config
   * places, and for a distributed chassis one container per card. An error for what cannot be.
   */
  layout?: (node: LayoutInput) => NodeLayout | { error: string };
  /**
   * What the node's image must be, from its labels: an error for an image of another kind (a vrnetlab
   * image under nokia_srsim), a warning for one that does not say it is the kind's.
   */
  imageCheck?: (labels: Record<string, string>) => { error: string } | { warning: string } | undefined;
  /** Files copied from the image into the node dir at deploy (SR-SIM's chassis_info.json), each under a header. */
  imageFiles?: { from: string; to: string; header?: string }[];
  /** What the host must have (Containerlab's HostRequirements): SSSE3 or nothing runs; fewer vCPUs or GB available is a warning. */
  hostNeeds?: {
    minVcpus?: number;
    minMemoryGb?: number;
    ssse3?: boolean;
    /** A kernel older than this is said (with whose requirement it is). */
    minKernel?: { version: string; who: string };
  };
  /**
   * TX checksum offload off on its management veth, at deploy and start: the host end (SR-SIM, IOL's
   * PostDeployEndpoints) or the container's own eth0 (linux's PostDeploy).
   */
  mgmtTxOffloadOff?: "host-end" | "container-end";
  /** A command run in the container before `lab stop` stops it (vrnetlab: a stable name for its qcow disk). */
  preStop?: (image: string) => string[] | undefined;
  /** The image a node of this kind runs when it names none (SD-WAN: vrnetlab/cisco_sdwan-<type>). */
  defaultImage?: (type: string) => string;
  /** The type of a brief link (`endpoints: [a:x, b:y]`) with this kind at an end (SR-SIM: veth-stitch). */
  briefLinkType?: "veth-stitch";
  /** Devices the kind adds to the node's own (6WIND VSR: tun, vhost-net, ppp). */
  devices?: string[];
  /** /dev/shm's size when the node sets none (6WIND VSR: 512M). */
  shmSize?: string;
  /**
   * The startup configuration made at deploy from what is in the node dir (6WIND VSR: a saved
   * config wins, else the node's startup-config with lab's defaults appended). Written every deploy.
   */
  initConfig?: { path: string; build: (node: InitConfigInput) => string };
  /** Capabilities the kind adds to the node's own (osvBNG). */
  capAdd?: string[];
  /** A healthcheck for nodes that set none (Spirent STC's capture process). */
  healthcheck?: { test: string[]; interval: number; timeout: number; retries: number };
  /** Binds that depend on the node's environment (vrnetlab's macvtap mode needs the host's /dev). */
  envBinds?: (env: Record<string, string>) => string[];
  /** USERNAME and PASSWORD in the environment from the node's credentials (vrnetlab launchers). */
  credentialEnv?: boolean;
  /** Environment that depends on the node's position (IOL_PID); the node's own env wins. */
  indexEnv?: (index: number) => Record<string, string>;
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
