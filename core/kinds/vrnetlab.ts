import { vmOnly } from "./interfaces.ts";
import type { KindDef } from "./types.ts";

/**
 * A vrnetlab kind: a VM in a container, reached through tc-connected interfaces eth1 and up. The
 * credentials go to the launcher; startup-config and licence are read from the mounted dirs.
 */
export function vrnetlab(def: Pick<KindDef, "name" | "aliases" | "credentials"> & Partial<KindDef>): KindDef {
  const credentials = def.credentials ?? { username: "admin", password: "admin" };
  return {
    role: "container",
    vm: true,
    env: { USERNAME: credentials.username, PASSWORD: credentials.password, CONNECTION_MODE: "tc" },
    cmd: `--username ${credentials.username} --password ${credentials.password} --hostname __clabNodeName__ --connection-mode tc --trace`,
    binds: ["__clabNodeDir__/config:/config"],
    licensePath: "/tftpboot/license.txt",
    startupConfig: "config/startup-config.cfg",
    interfaces: vmOnly(),
    ...def,
    credentials,
  };
}

/** A plain container kind: only what differs from a Linux container. */
export const container = (def: Pick<KindDef, "name" | "aliases"> & Partial<KindDef>): KindDef => ({
  role: "container",
  ...def,
});
