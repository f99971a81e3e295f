import { IF_WAIT } from "./if-wait.ts";
import type { InitConfigInput } from "./types.ts";
import { container } from "./vrnetlab.ts";

// 6WIND Virtual Service Router as Containerlab's nodes/6wind_vsr: the capabilities and devices its
// fast path needs, /dev/shm of 512M, an if-wait step before its init, and /etc/init-config.cli made
// at every deploy: the configuration the node saved (lab save) if there is one, else the node's
// startup-config followed by lab's defaults (SSH server, the user's SSH keys, the licence serial,
// a login banner).

const BANNER =
  "6WIND Virtual Service Router in a lab deployed by lab: 'edit running' to configure, 'show summary' for its state";

/** Where lab save puts the node's configuration, and what wins over everything at the next deploy. */
export const VSR_SAVED = "user-startup.conf";

/** /etc/init-config.cli for a node (lab's text; the commands are the VSR CLI's). */
export function vsrInitConfig(node: InitConfigInput): string {
  const saved = node.saved(VSR_SAVED);
  if (saved !== undefined) return saved;
  const lines = ["/ vrf main ssh-server"];
  if (node.sshKeys.length) {
    lines.push("/ system auth", "/ system auth user admin", "/ system auth user admin role admin");
    for (const k of node.sshKeys) lines.push(`/ system auth user admin authorized-key "${k.type} ${k.key}"`);
  }
  if (node.license) lines.push(`/ system license online serial "${node.license}"`);
  lines.push(`cmd banner post-login message "${BANNER}"`);
  const own = node.startupConfig ? `${node.startupConfig.replace(/\n*$/, "\n")}` : "";
  return `${own}${lines.join("\n")}\n`;
}

/** 6WIND Virtual Service Router (Containerlab: nodes/6wind_vsr). */
export default container({
  name: "6wind_vsr",
  aliases: [],
  capAdd: [
    "NET_ADMIN",
    "SYS_ADMIN",
    "NET_BROADCAST",
    "NET_RAW",
    "SYS_NICE",
    "IPC_LOCK",
    "SYSLOG",
    "AUDIT_WRITE",
    "SYS_PTRACE",
    "SYS_TIME",
  ],
  devices: ["/dev/net/tun", "/dev/vhost-net", "/dev/ppp"],
  shmSize: "512M",
  entrypoint: "bash -c '/usr/sbin/if-wait.sh ; exec /sbin/init-container.sh'",
  binds: ["__clabNodeDir__/if-wait.sh:/usr/sbin/if-wait.sh", "__clabNodeDir__/init-config.cli:/etc/init-config.cli"],
  files: () => [{ path: "if-wait.sh", text: IF_WAIT, mode: 0o755 }],
  initConfig: { path: "init-config.cli", build: vsrInitConfig },
  saveCommand: ["bash", "-c", "echo 'show config nodefault fullpath' | nc-cli"],
  saveOutput: VSR_SAVED,
  credentials: { username: "admin", password: "admin" },
  interfaces: {
    help: "any name but eth0 (the management interface)",
    map: (name) =>
      name === "eth0" ? { error: "eth0 interface name is not allowed: it is the management interface" } : name,
  },
});
