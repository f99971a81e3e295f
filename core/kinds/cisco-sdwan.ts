import { portMap } from "./interfaces.ts";
import type { LayoutInput, NodeLayout } from "./types.ts";
import { vrnetlab } from "./vrnetlab.ts";

/**
 * Where an SD-WAN startup-config goes by its extension (createCiscoSdwanFiles): a full cloud-init
 * file, or a zCloud XML one; copied as it is, and kept over a redeploy.
 */
export function sdwanLayout(node: LayoutInput): NodeLayout | { error: string } {
  const file = node.startupConfig;
  if (!file) return { env: {}, binds: [], startupConfigs: [] };
  const ext = /\.[^./]*$/.exec(file)?.[0]?.toLowerCase() ?? "";
  const target = ext === ".yaml" || ext === ".yml" ? "cloud-init.yaml" : ext === ".xml" ? "zcloud.xml" : undefined;
  if (!target)
    return {
      error: `unsupported startup config file format for node ${node.name}: ${file}. Supported formats: .yaml/.yml (cloud-init) or .xml (zcloud)`,
    };
  return { env: {}, binds: [], startupConfigs: [`config/${target}`] };
}

/** Cisco SD-WAN, a vrnetlab VM (Containerlab: nodes/cisco_sdwan): manager, controller or validator. */
export default vrnetlab({
  name: "cisco_sdwan",
  aliases: [],
  credentials: { username: "admin", password: "admin" },
  platform: { scrapli: "cisco_iosxe" },
  types: { valid: ["manager", "controller", "validator"], default: "manager" },
  cmd: ({ name, type, env }) =>
    `--username ${env.USERNAME} --password ${env.PASSWORD} --hostname ${name} --connection-mode ${env.CONNECTION_MODE} --component-type ${type} --trace`,
  layout: sdwanLayout,
  // vrnetlab builds one image per component: vrnetlab/cisco_sdwan-{manager,controller,validator}.
  defaultImage: (type) => `vrnetlab/cisco_sdwan-${type}`,
  startupConfigVerbatim: true,
  interfaces: portMap(/eth(?<port>\d+)$/, 1, "ethX (where X >= 1)", { vm: true }),
});
