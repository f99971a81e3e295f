// The configuration an SR-SIM node boots with when the topology gives none (model-driven SR OS
// MD-CLI, written to cf3/config.cfg), as Containerlab's nodes/sros default: SNMP, logging, gRPC
// (insecure unless the node has a certificate), NETCONF, the admin user and its profiles, SSH
// ciphers, the system name and a login banner. Lab's text; the paths are SR OS's.

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

function lines(): string[] {
  const out: string[] = [];
  // SNMP v2c read-only, and streaming.
  out.push(
    `${SEC} snmp community "public" access-permissions r`,
    `${SEC} snmp community "public" version v2c`,
    "/configure system management-interface snmp packet-size 9216",
    "/configure system management-interface snmp streaming admin-state enable",
  );
  // Logs: the system log and serious errors in memory.
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
  // gRPC (gNMI, gNOI, RIB API) without TLS.
  out.push(
    `${SEC} user-params local-user user "admin" access grpc true`,
    "/configure system grpc allow-unsecure-connection",
    "/configure system grpc gnmi auto-config-save true",
    "/configure system grpc gnmi admin-state enable",
    "/configure system grpc gnoi cert-mgmt admin-state enable",
    "/configure system grpc gnoi file admin-state enable",
    "/configure system grpc gnoi system admin-state enable",
    "/configure system grpc rib-api admin-state enable",
    "/configure system grpc admin-state enable",
  );
  // NETCONF.
  out.push(
    `${SEC} user-params local-user user "admin" access netconf true`,
    "/configure system management-interface netconf listen admin-state enable",
    "/configure system management-interface netconf auto-config-save true",
  );
  // Profiles: administrative may do everything but lawful intercept; default may look around.
  out.push(
    `${PROFILE("administrative")} default-action permit-all`,
    ...entries("administrative", [
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
    ]),
    ...NETCONF_OPS.map((op) => `${PROFILE("administrative")} netconf base-op-authorization ${op} true`),
    ...GRPC_RPCS.map((rpc) => `${PROFILE("administrative")} grpc rpc-authorization ${rpc} permit`),
    ...entries("default", [
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
    ]),
    `${SEC} user-params local-user user "admin" restricted-to-home false`,
    `${SEC} user-params local-user user "admin" password "NokiaSros1!"`,
    `${SEC} user-params local-user user "admin" access console true`,
    `${SEC} user-params local-user user "admin" console member ["administrative"]`,
    `${SEC} user-params attempts count 64`,
  );
  // SSH: the algorithms older clients still use.
  for (const side of ["server", "client"])
    for (const [n, name] of CIPHERS) out.push(`${SEC} ssh ${side}-cipher-list-v2 cipher ${n} name ${name}`);
  for (const side of ["server", "client"])
    for (const [n, name] of MACS) out.push(`${SEC} ssh ${side}-mac-list-v2 mac ${n} name ${name}`);
  return out;
}

/** The default configuration as a Go template over the node (its name). */
export const SRSIM_DEFAULT_CONFIG = `${lines().join("\n")}
/configure system name {{ .ShortName }}
/configure system login-control login-banner pre-login-message message "SR-SIM {{ .ShortName }} in a lab deployed by lab"
`;
