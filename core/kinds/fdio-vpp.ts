import { LabError } from "../errors.ts";
import { IF_WAIT } from "./if-wait.ts";
import type { PostDeployContext } from "./types.ts";
import { container } from "./vrnetlab.ts";

// FD.io VPP as Containerlab's nodes/fdio_vpp: its capabilities and the devices the host has, the
// if-wait step before its init, the config dir with VPP's startup.conf and a vppcfg.yaml made from
// the node's startup-config, and once it runs the user's SSH keys for root.

/** VPP's startup.conf (lab's text; the sections and keys are VPP's). */
export const vppStartup = (name: string) => `## VPP startup configuration, written by lab for ${name}

unix {
  interactive
  log /var/log/vpp/vpp.log
  full-coredump
  cli-listen /run/vpp/cli.sock
  cli-prompt ${name}>
  cli-no-pager
  poll-sleep-usec 100
  exec /config/vpp/bootstrap.vpp
}

api-trace {
  on
}

memory {
  main-heap-size 512M
  main-heap-page-size 4k
}

buffers {
  buffers-per-numa 16000
  default data-size 2048
  page-size 4k
}

statseg {
  size 64M
  page-size 4k
  per-node-counters on
}

plugins {
  plugin default { enable }
  plugin dpdk_plugin.so { disable }
  plugin linux_cp_plugin.so { enable }
  plugin linux_nl_plugin.so { enable }
  plugin sflow_plugin.so { enable }
}
`;

/** root's authorized_keys from the deploying user's keys (written through the node dir, not argv). */
async function vppPostDeploy(ctx: PostDeployContext): Promise<void> {
  const keys = (ctx.node.sshKeys ?? []).map((k) => `${k.type} ${k.key}`).join("\n");
  await ctx.writeFile("config/.lab-authorized-keys", `${keys}\n`, 0o600);
  try {
    const r = await ctx.exec([
      "bash",
      "-c",
      "mkdir -p /root/.ssh && cat /config/.lab-authorized-keys > /root/.ssh/authorized_keys",
    ]);
    if (r.code !== 0) throw new LabError("remote", `authorized_keys: ${(r.stderr || r.stdout).trim()}`);
  } finally {
    await ctx.removeFile("config/.lab-authorized-keys");
  }
}

/** FD.io VPP (Containerlab: nodes/fdio_vpp). */
export default container({
  name: "fdio_vpp",
  aliases: [],
  capAdd: ["NET_ADMIN", "SYS_ADMIN", "SYS_NICE", "IPC_LOCK", "SYSLOG", "SYS_PTRACE"],
  devices: ["/dev/net/tun", "/dev/vhost-net"],
  entrypoint: "bash -c '/usr/sbin/if-wait.sh ; exec /sbin/init-container.sh'",
  binds: ["__clabNodeDir__/if-wait.sh:/usr/sbin/if-wait.sh", "__clabNodeDir__/config:/config"],
  files: ({ name }) => [
    { path: "if-wait.sh", text: IF_WAIT, mode: 0o755 },
    { path: "config/vpp/startup.conf", text: vppStartup(name) },
  ],
  startupConfig: "config/vpp/vppcfg.yaml",
  defaultConfig: "",
  postDeploy: { what: "SSH keys for root", run: vppPostDeploy },
  credentials: { username: "root", password: "vpp" },
  interfaces: {
    help: "any name but eth0 (the management interface)",
    map: (name) =>
      name === "eth0" ? { error: "eth0 interface name is not allowed: it is the management interface" } : name,
  },
});
