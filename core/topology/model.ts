import type { KindDef } from "../kinds/index.ts";
import type { Diagnostic } from "./diagnostics.ts";
import type { PortMapping } from "./ports.ts";

export type PullPolicy = "IfNotPresent" | "Always" | "Never";
export type Stage = "create" | "create-links" | "configure" | "healthy" | "exit";

export interface WaitFor {
  node: string;
  stage: Stage;
}

/** A stage hook: a command run when the node enters (on-enter) or leaves (on-exit) a stage. */
export interface StageExec {
  stage: Stage;
  phase: "on-enter" | "on-exit";
  /** `container` runs it in the node; `host` on the machine lab runs on. */
  target: "container" | "host";
  command: string;
}

/** Login details for the node's management interfaces (Ansible/Nornir inventories, lab save). */
export interface Credentials {
  username?: string;
  password?: string;
  identityFile?: string;
  /** Where they were set: a level of the topology, or the kind's default. */
  source: "node" | "group" | "kind" | "defaults" | "kind-default" | "none";
}

export interface PublishEntry {
  /** ssh: a Border0 ssh socket; elsewhere forwarded as tcp. */
  type: "http" | "https" | "tls" | "tcp" | "ssh";
  port: number;
  emails: string[];
  domains: string[];
  /** The entry as written, for messages. */
  spec: string;
}

export interface NodeModel {
  name: string;
  /**
   * The host it runs on, from its `lab.host` label (inherited like any label), with where that label
   * is written for errors; absent: this machine.
   */
  host?: { name: string; at: Diagnostic };
  /** The container name (prefix rules applied). */
  longName: string;
  kind: KindDef;
  /** The kind as the topology wrote it, lower-cased (`srl` or `nokia_srlinux`), as Containerlab keeps it. */
  kindName: string;
  type?: string;
  group?: string;
  image?: string;
  pullPolicy: PullPolicy;
  cmd?: string[];
  entrypoint?: string[];
  env: Record<string, string>;
  binds: string[];
  ports: PortMapping[];
  labels: Record<string, string>;
  user?: string;
  hostname?: string;
  exec: string[];
  networkMode?: string;
  dns?: { servers?: string[]; search?: string[]; options?: string[] };
  aliases: string[];
  sysctls: Record<string, string>;
  capAdd: string[];
  devices: string[];
  memory?: number;
  cpu?: number;
  cpuSet?: string;
  shmSize?: number;
  restartPolicy?: string;
  privileged: boolean;
  healthcheck?: { test?: string[]; interval?: number; timeout?: number; retries?: number; startPeriod?: number };
  startupDelay: number;
  waitFor: WaitFor[];
  publish: PublishEntry[];
  mgmtIpv4?: string;
  mgmtIpv6?: string;
  /** The management interface's MAC when the kind sets one (cEOS: under Arista's OUI). */
  mgmtMac?: string;
  /** The NOS's name for its management interface (.MgmtIntf in templates). */
  mgmtIntf: string;
  /** A startup-config in the NOS's CLI format, applied after boot by the kind's post-deploy (SR Linux). */
  startupCli?: string;
  /** The startup-config as written, for kinds that render it themselves after boot (IOL), and its file. */
  startupRaw?: { text: string; file?: string };
  /** The `license:` file (resolved), when the node has one. */
  license?: string;
  tmpfs: Record<string, string>;
  securityOpts: string[];
  pidMode?: string;
  autoRemove: boolean;
  /** `<labDir>/<name>`. */
  nodeDir: string;
  stopSignal?: string;
  /** Where the kind reads its startup configuration from, filled in before the container starts. */
  startupConfig?: StartupConfig;
  /** Files the kind needs in the node dir before the container starts (absolute paths). */
  files: NodeFile[];
  /**
   * A distributed chassis (SR-SIM with several cards): its containers in creation order. The first
   * holds the network namespace (management address, links); the last is the node's own
   * (`longName`, where exec and post-deploy go).
   */
  components?: NodeComponent[];
  /** Where the startup-config goes when the kind's layout says (each control card's), absolute. */
  startupConfigAt?: string[];
  /**
   * No state the node kept from an earlier deploy was in its node dir when the lab was read (a
   * kind's `keep` file, IOL's nvram): it boots for the first time.
   */
  firstBoot?: boolean;
  /** The node's `components:` as written, for its kind's default configuration. */
  componentList?: Record<string, unknown>[];
  /** Position in the topology (nodes sorted by name), as Containerlab's Index. */
  index: number;
  /** `<name>.<lab>.io`, as Containerlab names nodes in DNS and certificates. */
  fqdn: string;
  stageExec: StageExec[];
  cgroupParent?: string;
  cgroupnsMode?: "host" | "private";
  /** `config.vars`, merged from defaults, kind, group and node (deep), for startup-config templates. */
  configVars: Record<string, unknown>;
  suppressStartupConfig: boolean;
  /** `certificate:` merged field by field from defaults, kind, group and node (Containerlab's Merge). */
  certificate?: CertificateSettings;
  credentials: Credentials;
  /** Named volumes and other `volumes:` mounts (name:dest[:options]). */
  volumes: string[];
}

export interface NodeFile {
  path: string;
  /** The content, or `source`: a host file to copy. */
  text?: string;
  source?: string;
  mode?: number;
  /** Written only when absent: the node may have changed it. */
  keep?: boolean;
  /** A symbolic link to this target instead of a file. */
  link?: string;
}

/** One container of a node deployed as several. */
export interface NodeComponent {
  /** `<node>-<slot>`, its clab-node-name. */
  name: string;
  longName: string;
  slot: string;
  env: Record<string, string>;
  binds: string[];
  labels: Record<string, string>;
  /** A control card. */
  cpm: boolean;
}

export interface CertificateSettings {
  issue: boolean;
  keySize?: number;
  validityMs?: number;
  sans: string[];
}

/** `settings.certificate-authority:`: an existing CA (files), or how to make one. */
export interface CaSettings {
  cert?: string;
  key?: string;
  keySize?: number;
  validityMs?: number;
}

export interface StartupConfig {
  /** A host file to copy, or (`text`) the configuration written inline in the topology. */
  source?: string;
  text?: string;
  /** The file in the node dir that the kind's bind mount exposes. */
  target: string;
  /** The same configuration also goes here (a distributed chassis's standby control card). */
  alsoAt?: string[];
  /** Replace a configuration already there (one the node saved, say); otherwise it is kept. */
  enforce: boolean;
  /** The startup-config as the topology gave it (a path, a URL, or "inline"), for messages. */
  origin?: string;
  /**
   * The template (environment expanded), kept when the node is issued a certificate: rendered again
   * at deploy with .TLSCert, .TLSKey and .TLSAnchor, which exist only then.
   */
  template?: string;
}

export interface MgmtModel {
  network: string;
  bridge?: string;
  ipv4Subnet?: string;
  ipv6Subnet?: string;
  ipv4Gw?: string;
  ipv6Gw?: string;
  ipv4Range?: string;
  ipv6Range?: string;
  mtu?: number;
  externalAccess: boolean;
  driverOpts: Record<string, string>;
  /** Create the network only when a node uses it (otherwise it is always created). */
  skipWhenUnused: boolean;
}

export interface Endpoint {
  node: string;
  iface: string;
  mac?: string;
  /** Interface addresses with their prefix length (ipv4/ipv6 on the link or the endpoint). */
  ipv4?: string;
  ipv6?: string;
  /** The endpoint's own `vars`. */
  vars?: Record<string, unknown>;
  /** The NOS name the topology used (`ethernet-1/1`), when `iface` is the Linux name it maps to. */
  alias?: string;
}

/** What every link type carries besides its ends: labels and vars as written. */
export interface LinkMeta {
  labels?: Record<string, string>;
  vars?: Record<string, unknown>;
  /** The link sets `mtu:` itself (else the default): a cross-host tunnel warns when it cannot fit. */
  mtuDeclared?: boolean;
}

export type LinkModel = LinkMeta &
  (
    | { type: "veth"; a: Endpoint; b: Endpoint; mtu: number }
    | {
        type: "host" | "mgmt-net";
        endpoint: Endpoint;
        hostInterface: string;
        mtu: number;
        /** Addresses for the host side (a brief link's second ipv4/ipv6 entry). */
        hostAddresses?: { ipv4?: string; ipv6?: string };
      }
    | { type: "macvlan"; endpoint: Endpoint; hostInterface: string; mode: string; mtu: number }
    | { type: "dummy"; endpoint: Endpoint; mtu: number }
    /** Two veth segments whose host ends are joined by tc redirects (capture and netem on the host). */
    | { type: "veth-stitch"; a: Endpoint; b: Endpoint; mtu: number }
    /**
     * A VXLAN tunnel to another host: `vxlan` puts the tunnel device itself in the node; `vxlan-stitch`
     * keeps it on the host and stitches it to a veth into the node. `mtu` only when given: the kernel
     * derives the tunnel's from its parent interface.
     */
    | ({ type: "vxlan" | "vxlan-stitch"; endpoint: Endpoint } & VxlanTunnel)
  );

export interface VxlanTunnel {
  remote: string;
  vni: number;
  dstPort: number;
  srcPort?: number;
  /** Underlay interface; when absent the route to `remote` decides at deploy time. */
  parent?: string;
  mtu?: number;
}

export interface LabModel {
  name: string;
  /** Absolute path of the topology file, or "<stdin>". */
  file: string;
  /** Where clab-<name>/ lives. */
  dir: string;
  /** Where this command fetched the topology from (a URL, a repository), when it did. */
  remote?: string;
  labDir: string;
  mgmt: MgmtModel;
  /** Sorted by name, as Containerlab creates them. */
  nodes: NodeModel[];
  links: LinkModel[];
  /** Notes to show the user (skipped sidecars and the like). */
  notes: string[];
  /** Keys lab reads but does not act on as Containerlab would, with where they are. */
  warnings: Diagnostic[];
  /** Credentials set on `kinds:` entries (by kind as written; "" for `defaults:`), for the inventories. */
  kindCredentials: Record<string, { username?: string; password?: string }>;
  certificateAuthority?: CaSettings;
}

export const DEFAULT_MTU = 9500;
export const DEFAULT_MGMT = { network: "clab", ipv4Subnet: "172.20.20.0/24", ipv6Subnet: "3fff:172:20:20::/64" };
