import { vmOnly } from "./interfaces.ts";
import { qcowAliasCommand } from "./qcow-alias.ts";
import type { KindDef } from "./types.ts";

/**
 * A vrnetlab kind: a VM in a container, reached through tc-connected interfaces eth1 and up. The
 * credentials go to the launcher; startup-config and licence are read from the mounted dirs.
 */
/**
 * The command scrapligocfg reads a running configuration with, per scrapli platform: what
 * Containerlab's vrnetlab save (GetConfig) runs. Platforms it has no driver for cannot be saved.
 */
const GET_CONFIG: Record<string, string> = {
  cisco_iosxe: "show running-config",
  cisco_iosxr: "show running-config",
  cisco_nxos: "show running-config",
  arista_eos: "show running-config",
  juniper_junos: "show configuration",
};

export function vrnetlab(def: Pick<KindDef, "name" | "aliases" | "credentials"> & Partial<KindDef>): KindDef {
  const credentials = def.credentials ?? { username: "admin", password: "admin" };
  const saveCli = def.platform?.scrapli ? GET_CONFIG[def.platform.scrapli] : undefined;
  return {
    role: "container",
    vm: true,
    // The node's login and connection mode, as the launcher is told them (Containerlab's VRNode:
    // USERNAME/PASSWORD from the node's credentials, CONNECTION_MODE tc unless the node sets it).
    env: { CONNECTION_MODE: "tc" },
    credentialEnv: true,
    cmd: ({ name, env }) =>
      `--username ${env.USERNAME} --password ${env.PASSWORD} --hostname ${name} --connection-mode ${env.CONNECTION_MODE} --trace`,
    binds: ["__clabNodeDir__/config:/config"],
    envBinds: (env) => (env.CONNECTION_MODE === "macvtap" ? ["/dev:/dev"] : []),
    startupConfig: "config/startup-config.cfg",
    interfaces: vmOnly(),
    preStop: qcowAliasCommand,
    ...(saveCli ? { saveCli } : {}),
    ...def,
    credentials,
  };
}

/** A plain container kind: only what differs from a Linux container. */
export const container = (def: Pick<KindDef, "name" | "aliases"> & Partial<KindDef>): KindDef => ({
  role: "container",
  ...def,
});
