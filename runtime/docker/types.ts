// Shapes of the Docker Engine API (https://docs.docker.com/reference/api/engine/), only the fields lab reads or sends.

export type Labels = Record<string, string>;

export interface EngineVersion {
  Version: string;
  ApiVersion: string;
  MinAPIVersion?: string;
  Os: string;
  Arch: string;
  KernelVersion?: string;
  GitCommit?: string;
}

export interface EngineInfo {
  ID: string;
  Name: string;
  NCPU: number;
  MemTotal: number;
  ServerVersion: string;
  OperatingSystem: string;
  Driver: string;
  CgroupVersion?: string;
  Containers: number;
  Images: number;
}

/** One message of GET /events. */
export interface EngineEvent {
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes?: Record<string, string> };
  scope?: string;
  time?: number;
  timeNano?: number;
}

export interface IpamConfig {
  Subnet?: string;
  Gateway?: string;
  IPRange?: string;
  /** Addresses the engine must not hand out (name → address). */
  AuxiliaryAddresses?: Record<string, string>;
}

export interface NetworkCreateSpec {
  Name: string;
  Driver?: string;
  EnableIPv6?: boolean;
  Internal?: boolean;
  Attachable?: boolean;
  IPAM?: { Driver?: string; Config?: IpamConfig[] };
  Options?: Record<string, string>;
  Labels?: Labels;
}

export interface NetworkInspect {
  Id: string;
  Name: string;
  Driver: string;
  Scope: string;
  EnableIPv6: boolean;
  IPAM: { Driver: string; Config: IpamConfig[] | null };
  Options: Record<string, string> | null;
  Labels: Labels | null;
  Containers?: Record<string, { Name: string; IPv4Address: string; IPv6Address: string; MacAddress: string }>;
}

export interface PortBinding {
  HostIp?: string;
  HostPort?: string;
}

export interface EndpointSettingsSpec {
  IPAMConfig?: { IPv4Address?: string; IPv6Address?: string };
  Aliases?: string[];
  MacAddress?: string;
}

export interface ContainerCreateSpec {
  Hostname?: string;
  /** The first network's MAC (engines before API 1.44 read it here, later ones per endpoint). */
  MacAddress?: string;
  User?: string;
  Env?: string[];
  Cmd?: string[];
  Entrypoint?: string[];
  Image: string;
  Labels?: Labels;
  Tty?: boolean;
  OpenStdin?: boolean;
  ExposedPorts?: Record<string, Record<string, never>>;
  StopSignal?: string;
  Healthcheck?: {
    Test?: string[];
    Interval?: number;
    Timeout?: number;
    Retries?: number;
    StartPeriod?: number;
  };
  HostConfig?: {
    Binds?: string[];
    NetworkMode?: string;
    PortBindings?: Record<string, PortBinding[]>;
    RestartPolicy?: { Name: string; MaximumRetryCount?: number };
    Privileged?: boolean;
    CapAdd?: string[];
    Devices?: { PathOnHost: string; PathInContainer: string; CgroupPermissions: string }[];
    Sysctls?: Record<string, string>;
    Dns?: string[];
    DnsSearch?: string[];
    DnsOptions?: string[];
    ExtraHosts?: string[];
    Memory?: number;
    NanoCpus?: number;
    CpuQuota?: number;
    CpuPeriod?: number;
    CpusetCpus?: string;
    ShmSize?: number;
    Tmpfs?: Record<string, string>;
    SecurityOpt?: string[];
    PidMode?: string;
    CgroupParent?: string;
    CgroupnsMode?: "host" | "private";
    AutoRemove?: boolean;
  };
  NetworkingConfig?: { EndpointsConfig: Record<string, EndpointSettingsSpec> };
}

export interface ContainerSummary {
  Id: string;
  Names: string[];
  Image: string;
  ImageID: string;
  State: string;
  Status: string;
  Labels: Labels;
  Ports: { IP?: string; PrivatePort: number; PublicPort?: number; Type: string }[];
  NetworkSettings?: {
    Networks: Record<
      string,
      {
        IPAddress: string;
        IPPrefixLen?: number;
        GlobalIPv6Address: string;
        GlobalIPv6PrefixLen?: number;
        MacAddress: string;
        NetworkID: string;
      }
    >;
  };
}

export interface ContainerInspect {
  Id: string;
  Name: string;
  Image: string;
  Created: string;
  State: {
    Status: string;
    Running: boolean;
    Pid: number;
    ExitCode: number;
    Error: string;
    Health?: { Status: string };
  };
  Config: {
    Hostname: string;
    Image: string;
    Labels: Labels | null;
    Env: string[] | null;
    Tty?: boolean;
  };
  HostConfig: { NetworkMode: string; PortBindings: Record<string, PortBinding[]> | null };
  NetworkSettings: {
    Ports: Record<string, PortBinding[] | null> | null;
    Networks: Record<
      string,
      {
        IPAddress: string;
        IPPrefixLen: number;
        GlobalIPv6Address: string;
        GlobalIPv6PrefixLen: number;
        MacAddress: string;
        NetworkID: string;
        Gateway: string;
        IPv6Gateway: string;
      }
    >;
  };
}

export interface ImageInspect {
  Id: string;
  RepoTags: string[] | null;
  RepoDigests: string[] | null;
  Created: string;
  Size: number;
  Architecture: string;
  Os: string;
  Variant?: string;
  Config: { Cmd?: string[] | null; Entrypoint?: string[] | null; Env?: string[] | null; Labels?: Labels | null } | null;
  RootFS: { Type: string; Layers?: string[] };
}

export interface ImageSummary {
  Id: string;
  RepoTags: string[] | null;
  RepoDigests: string[] | null;
  Size: number;
  Created: number;
  Labels: Labels | null;
}

/** One line of the NDJSON stream of `POST /images/create`. */
export interface PullEvent {
  id?: string;
  status?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string };
}

export interface RegistryAuth {
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
  serveraddress?: string;
}
