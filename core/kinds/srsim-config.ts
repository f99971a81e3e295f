// The configuration an SR-SIM node boots with when the topology gives none (written to
// cf3/config.cfg), as Containerlab's nodes/sros default: SNMP, logging, gRPC (over TLS when the node
// has a certificate), NETCONF, the admin user with its profiles and SSH keys, SSH ciphers, the system
// name, a login banner, and the chassis's cards. Model-driven MD-CLI lines, or a classic CLI
// configuration when CLAB_SROS_CONFIG_MODE says classic/mixed (or the chassis is a SAR-Hm, which has
// no model-driven mode); IXR and SAR chassis lack some of SR's features. Lab's text; the paths are
// SR OS's.

const SEC = "/configure system security";
const PROFILE = (p: string) => `${SEC} aaa local-profiles profile "${p}"`;

/** Entries of a local profile: number, match, action. */
const entries = (profile: string, list: [number, string, "permit" | "deny"][]) =>
  list.flatMap(([n, match, action]) => [
    `${PROFILE(profile)} entry ${n} match "${match}"`,
    `${PROFILE(profile)} entry ${n} action ${action}`,
  ]);

const NETCONF_OPS = [
  "action",
  "cancel-commit",
  "close-session",
  "commit",
  "copy-config",
  "create-subscription",
  "delete-config",
  "discard-changes",
  "edit-config",
  "get",
  "get-config",
  "get-data",
  "get-schema",
  "kill-session",
  "lock",
  "validate",
];

/** gNOI and RIB API calls the administrative profile may make (IXR and SAR have no RIB API). */
const GRPC_RPCS = [
  "gnmi-capabilities",
  "gnmi-get",
  "gnmi-set",
  "gnmi-subscribe",
  "gnoi-cert-mgmt-rotate",
  "gnoi-cert-mgmt-install",
  "gnoi-cert-mgmt-getcert",
  "gnoi-cert-mgmt-revoke",
  "gnoi-cert-mgmt-cangenerate",
  "gnoi-file-get",
  "gnoi-file-transfertoremote",
  "gnoi-file-put",
  "gnoi-file-stat",
  "gnoi-file-remove",
  "gnoi-system-ping",
  "gnoi-system-traceroute",
  "gnoi-system-time",
  "gnoi-system-setpackage",
  "gnoi-system-switchcontrolprocessor",
  "gnoi-system-reboot",
  "gnoi-system-rebootstatus",
  "gnoi-system-cancelreboot",
  "rib-api-getversion",
  "rib-api-modify",
];

/** SSH algorithms by list, numbered as SR OS orders them. */
const CIPHERS: [number, string][] = [
  [190, "aes256-ctr"],
  [192, "aes192-ctr"],
  [194, "aes128-ctr"],
  [200, "aes128-cbc"],
  [205, "3des-cbc"],
  [225, "aes192-cbc"],
  [230, "aes256-cbc"],
];
const MACS: [number, string][] = [
  [200, "hmac-sha2-512"],
  [210, "hmac-sha2-256"],
  [215, "hmac-sha1"],
  [220, "hmac-sha1-96"],
  [225, "hmac-md5"],
  [240, "hmac-md5-96"],
];

export type SrsimFamily = "sr" | "ixr" | "sar";
export type SrsimMode = "model-driven" | "classic" | "mixed";

/**
 * Containerlab's resolveConfigVariant: the chassis family from its type, the configuration mode from
 * CLAB_SROS_CONFIG_MODE (model-driven when unset); a SAR-Hm/Hmc only runs classic (or mixed).
 */
export function srsimVariant(type: string, env: Record<string, string>) {
  const family: SrsimFamily = /\bixr-/i.test(type) ? "ixr" : /\bsar-/i.test(type) ? "sar" : "sr";
  let mode = (env.CLAB_SROS_CONFIG_MODE ?? "").toLowerCase() || "model-driven";
  const forceClassic = family === "sar" && /\b(sar-hm|sar-hmc)\b/i.test(type);
  if (forceClassic && mode !== "classic" && mode !== "mixed") mode = "classic";
  return { family, mode: mode as SrsimMode, forceClassic };
}

const TLS12 = [
  "tls-rsa-with3des-ede-cbc-sha",
  "tls-rsa-with-aes128-cbc-sha",
  "tls-rsa-with-aes128-cbc-sha256",
  "tls-rsa-with-aes256-cbc-sha",
  "tls-rsa-with-aes256-cbc-sha256",
  "tls-rsa-with-aes128-gcm-sha256",
  "tls-rsa-with-aes256-gcm-sha384",
  "tls-ecdhe-rsa-aes128-gcm-sha256",
  "tls-ecdhe-rsa-aes256-gcm-sha384",
];
const TLS13 = [
  "tls-aes128-gcm-sha256",
  "tls-aes256-gcm-sha384",
  "tls-chacha20-poly1305-sha256",
  "tls-aes128-ccm-sha256",
];
type Rule = [number, string, "permit" | "deny"];
/** The administrative profile: everything but lawful intercept. */
const ADMIN_PROFILE: Rule[] = [
  [10, "configure system security", "permit"],
  [20, "show system security", "permit"],
  [30, "tools perform security", "permit"],
  [40, "tools dump security", "permit"],
  [42, "tools dump system security", "permit"],
  [50, "admin system security", "permit"],
  [100, "configure li", "deny"],
  [110, "show li", "deny"],
  [111, "clear li", "deny"],
  [112, "tools dump li", "deny"],
];
const DEFAULT_PROFILE: Rule[] = [
  [10, "exec", "permit"],
  [20, "exit", "permit"],
  [30, "help", "permit"],
  [40, "logout", "permit"],
  [50, "password", "permit"],
  [60, "show config", "deny"],
  [65, "show li", "deny"],
  [66, "clear li", "deny"],
  [67, "tools dump li", "deny"],
  [68, "state li", "deny"],
  [70, "show", "permit"],
  [75, "state", "permit"],
  [80, "enable-admin", "permit"],
  [90, "enable", "permit"],
  [100, "configure li", "deny"],
];

function mdLines(family: SrsimFamily, secure: boolean): string[] {
  const out: string[] = [];
  out.push(
    `${SEC} snmp community "public" access-permissions r`,
    `${SEC} snmp community "public" version v2c`,
    "/configure system management-interface snmp packet-size 9216",
    "/configure system management-interface snmp streaming admin-state enable",
  );
  out.push(
    '/configure log filter "1001" named-entry "10" description "Collect only events of major severity or higher"',
    '/configure log filter "1001" named-entry "10" action forward',
    '/configure log filter "1001" named-entry "10" match severity gte major',
    '/configure log log-id "99" description "Default System Log"',
    '/configure log log-id "99" source main true',
    '/configure log log-id "99" destination memory max-entries 500',
    '/configure log log-id "100" description "Default Serious Errors Log"',
    '/configure log log-id "100" filter "1001"',
    '/configure log log-id "100" source main true',
    '/configure log log-id "100" destination memory max-entries 500',
  );
  // gRPC (gNMI, gNOI, and on SR the RIB API): over the node's certificate once post-deploy imported
  // it (the cert profile starts disabled for that reason), else without TLS.
  out.push(`${SEC} user-params local-user user "admin" access grpc true`);
  if (secure) {
    const tls = `${SEC} tls`;
    out.push(
      `${tls} cert-profile "clab-grpc-certs" entry 1 certificate-file "node.crt"`,
      `${tls} cert-profile "clab-grpc-certs" entry 1 key-file "node.key"`,
      `${tls} cert-profile "clab-grpc-certs" admin-state disable`,
      ...TLS12.map((c, i) => `${tls} server-cipher-list "clab-all" tls12-cipher ${i + 1} name ${c}`),
      ...TLS13.map((c, i) => `${tls} server-cipher-list "clab-all" tls13-cipher ${i + 1} name ${c}`),
      `${tls} server-tls-profile "clab-grpc-tls" cert-profile "clab-grpc-certs"`,
      `${tls} server-tls-profile "clab-grpc-tls" cipher-list "clab-all"`,
      `${tls} server-tls-profile "clab-grpc-tls" admin-state enable`,
      '/configure system grpc tls-server-profile "clab-grpc-tls"',
    );
  } else out.push("/configure system grpc allow-unsecure-connection");
  out.push(
    "/configure system grpc gnmi auto-config-save true",
    "/configure system grpc gnmi admin-state enable",
    "/configure system grpc gnoi cert-mgmt admin-state enable",
    "/configure system grpc gnoi file admin-state enable",
    "/configure system grpc gnoi system admin-state enable",
    ...(family === "sr" ? ["/configure system grpc rib-api admin-state enable"] : []),
    "/configure system grpc admin-state enable",
  );
  out.push(
    `${SEC} user-params local-user user "admin" access netconf true`,
    "/configure system management-interface netconf listen admin-state enable",
    "/configure system management-interface netconf auto-config-save true",
  );
  // Profiles: administrative may do everything but lawful intercept; default may look around.
  const admin: Rule[] = [
    ...ADMIN_PROFILE,
    ...(family === "sar" ? [[113, "tools perform system security", "permit"] as Rule] : []),
  ];
  // IXR's default profile keeps only the show/state rules; SAR has no `state li`.
  const defaults = DEFAULT_PROFILE.filter(([n]) =>
    family === "ixr" ? n >= 60 && n <= 90 && n !== 68 : family === "sar" ? n !== 68 : true,
  );
  out.push(
    `${PROFILE("administrative")} default-action permit-all`,
    ...entries("administrative", admin),
    ...NETCONF_OPS.map((op) => `${PROFILE("administrative")} netconf base-op-authorization ${op} true`),
    ...GRPC_RPCS.filter((rpc) => family === "sr" || !rpc.startsWith("rib-api")).map(
      (rpc) => `${PROFILE("administrative")} grpc rpc-authorization ${rpc} permit`,
    ),
    ...entries("default", defaults),
    `${SEC} user-params local-user user "admin" restricted-to-home false`,
    `${SEC} user-params local-user user "admin" password "NokiaSros1!"`,
    `${SEC} user-params local-user user "admin" access console true`,
    `${SEC} user-params local-user user "admin" console member ["administrative"]`,
    `${SEC} user-params attempts count 64`,
  );
  return out;
}

function sshLines(): string[] {
  const out: string[] = [];
  for (const side of ["server", "client"])
    for (const [n, name] of CIPHERS) out.push(`${SEC} ssh ${side}-cipher-list-v2 cipher ${n} name ${name}`);
  for (const side of ["server", "client"])
    for (const [n, name] of MACS) out.push(`${SEC} ssh ${side}-mac-list-v2 mac ${n} name ${name}`);
  return out;
}

export type SshKey = { type: string; key: string };
const byType = (keys: SshKey[], test: (t: string) => boolean) => keys.filter((k) => test(k.type)).map((k) => k.key);
const keyKinds = (keys: SshKey[]) =>
  [
    ["rsa", byType(keys, (t) => t === "ssh-rsa")],
    ["ecdsa", byType(keys, (t) => t.startsWith("ecdsa-sha2-"))],
    ["ed25519", byType(keys, (t) => t === "ssh-ed25519")],
  ] as const;

export interface SrsimConfigInput {
  name: string;
  type: string;
  env: Record<string, string>;
  /** The node has a certificate: gRPC over TLS. */
  secure: boolean;
  sshKeys: SshKey[];
  /** Card/MDA/power lines (model-driven only). */
  components: string[];
}

const BANNER = (name: string) => `SR-SIM ${name} in a lab deployed by lab`;

function modelDriven(i: SrsimConfigInput, family: SrsimFamily): string {
  const keys = keyKinds(i.sshKeys).flatMap(([kind, list]) =>
    list.map(
      (key, n) =>
        `${SEC} user-params local-user user "admin" public-keys ${kind} ${kind}-key ${32 - n} key-value ${key}`,
    ),
  );
  return [
    ...mdLines(family, i.secure),
    `/configure system name ${i.name}`,
    `/configure system login-control login-banner pre-login-message message "${BANNER(i.name)}"`,
    ...sshLines(),
    ...keys,
    ...i.components,
    "",
  ].join("\n");
}

const indent = (n: number, lines: string[]) => lines.map((l) => `${" ".repeat(n)}${l}`);
/** A classic CLI section: its echo banner, then its lines indented. */
const section = (title: string, body: string[]) => [
  "#--------------------------------------------------",
  `echo "${title}"`,
  "#--------------------------------------------------",
  ...indent(4, body),
];
/** A classic CLI context: its head, its lines indented, `exit`. */
const block = (head: string, body: string[]) => [head, ...indent(4, body), "exit"];

/** Classic CLI, as SR OS's own saved configurations are laid out (exit all / configure / … / exit all). */
function classic(i: SrsimConfigInput, family: SrsimFamily, mode: SrsimMode): string {
  // SAR has no gRPC server.
  const grpc = family !== "sar";
  const lines = [
    "# CLAB SR OS CLASSIC CONFIGURATION",
    "",
    "exit all",
    "configure",
    ...section(
      "System Configuration",
      block("system", [
        `name ${i.name}`,
        ...block("dns", ["address-pref ipv6-first"]),
        ...block("netconf", block("listen", ["no shutdown"])),
        ...(family === "ixr" ? block("rollback", ['rollback-location "cf3:/rollbacks/config"']) : []),
        ...block("snmp", [...block("streaming", ["no shutdown"]), "packet-size 9216"]),
        ...block("time", [...block("sntp", ["shutdown"]), "zone UTC"]),
      ]),
    ),
    ...section("System Security Configuration", block("system", classicSecurity(i, family, grpc))),
    ...section(
      "System Login Control Configuration",
      block("system", block("login-control", [`pre-login-message "${BANNER(i.name)}"`, "login-banner"])),
    ),
    ...(grpc && i.secure
      ? section(
          "System Security Cpm Hw Filters, PKI, TLS and LDAP Configuration",
          block("system", block("security", block("tls", classicTls()))),
        )
      : []),
    ...(grpc ? section("System gRPC Configuration", block("system", classicGrpc(i, family))) : []),
    ...(grpc
      ? section("System Sync-If-Timing Configuration", block("system", block("sync-if-timing", ["begin", "commit"])))
      : []),
    ...section("Management Router Configuration", block("router management", [])),
    ...section("Router (Network Side) Configuration", block("router Base", [])),
    ...section(
      "Service Configuration",
      block("service", block('customer 1 name "1" create', ['description "Default customer"'])),
    ),
    ...section(
      "System Configuration Mode Configuration",
      block(
        "system",
        block("management-interface", [
          `configuration-mode ${mode}`,
          ...block("cli", ["cli-engine classic-cli md-cli"]),
        ]),
      ),
    ),
    "",
    "exit all",
    "",
  ];
  return lines.join("\n");
}

/** system security: the administrative profile (gRPC and NETCONF rights), the admin user and its keys, SNMP, telnet. */
function classicSecurity(i: SrsimConfigInput, family: SrsimFamily, grpc: boolean): string[] {
  const keys = keyKinds(i.sshKeys).flatMap(([kind, list]) =>
    kind === "ed25519" && !list.length
      ? []
      : block(
          kind,
          list.flatMap((key, n) => block(`${kind}-key ${32 - n} create`, [`key-value ${key}`])),
        ),
  );
  const grpcAuth = [
    "gnoi-cert-mgmt-rotate",
    "gnoi-cert-mgmt-install",
    "gnoi-cert-mgmt-getcert",
    "gnoi-cert-mgmt-revoke",
    "gnoi-cert-mgmt-cangenerate",
    "gnoi-system-setpackage",
    "gnoi-system-switchcontrolprocessor",
    "gnoi-system-reboot",
    "gnoi-system-rebootstatus",
    "gnoi-system-cancelreboot",
  ].map((r) => `${r} permit`);
  const adminEntries = ADMIN_PROFILE.flatMap(([n, match, action]) =>
    block(`entry ${n}`, [`match "${match}"`, `action ${action}`]),
  );
  return block("security", [
    ...block('profile "administrative"', [
      ...(grpc ? block("grpc", block("rpc-authorization", grpcAuth)) : []),
      ...block("netconf", block("base-op-authorization", NETCONF_OPS)),
      ...adminEntries,
    ]),
    ...block("password", ["attempts 64 time 5 lockout 10"]),
    ...block('user "admin"', [
      'password "NokiaSros1!"',
      grpc ? "access console netconf grpc" : "access console netconf",
      "no restricted-to-home",
      ...block("public-keys", keys),
      ...block("console", ['member "administrative"']),
    ]),
    ...block("snmp", ['community "public" r version both', 'community "private" rwa version v2c']),
    ...(family === "sr" ? ["per-peer-queuing"] : []),
    ...block("telnet", []),
  ]);
}

/** The gRPC server's TLS: the node's certificate, every cipher, the server profile. */
function classicTls(): string[] {
  return [
    ...block('cert-profile "clab-grpc-certs" create', [
      ...block("entry 1 create", ['cert "node.crt"', 'key "node.key"']),
      "shutdown",
    ]),
    ...block('server-cipher-list "clab-all" create', [
      ...TLS12.map((c, n) => `cipher ${n + 1} name ${c}`),
      ...[...TLS13, "tls-aes128-ccm8-sha256"].map((c, n) => `tls13-cipher ${n + 1} name ${c}`),
    ]),
    ...block('server-tls-profile "clab-grpc-tls" create', [
      'cert-profile "clab-grpc-certs"',
      'cipher-list "clab-all"',
      "no shutdown",
    ]),
  ];
}

/** system grpc: TLS or not, gNOI services, MD-CLI, the RIB API on SR. */
function classicGrpc(i: SrsimConfigInput, family: SrsimFamily): string[] {
  return block("grpc", [
    i.secure ? 'tls-server-profile "clab-grpc-tls"' : "allow-unsecure-connection",
    ...block("gnoi", [
      ...block("cert-mgmt", ["no shutdown"]),
      ...block("file", ["no shutdown"]),
      ...block("system", ["no shutdown"]),
    ]),
    ...block("md-cli", ["no shutdown"]),
    ...(family === "sr" ? block("rib-api", ["no shutdown"]) : []),
    "no shutdown",
  ]);
}

/**
 * The default configuration for a node: model-driven lines, or classic CLI for classic/mixed mode
 * (no card lines then: Containerlab generates those for model-driven nodes only).
 */
export function srsimDefaultConfig(i: SrsimConfigInput): string {
  const v = srsimVariant(i.type, i.env);
  return v.mode === "model-driven" ? modelDriven(i, v.family) : classic(i, v.family, v.mode);
}
