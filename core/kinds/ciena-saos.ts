import { portMap } from "./interfaces.ts";
import type { LayoutInput, NodeLayout } from "./types.ts";
import { vrnetlab } from "./vrnetlab.ts";

/** The SAOS chassis the vrnetlab image knows (its launcher's variant_map). */
const VARIANTS = [
  "3948",
  "3949",
  "3984",
  "3985",
  "5130",
  "5131",
  "5131-910",
  "5132",
  "5134",
  "5144",
  "5162",
  "5164",
  "5164-902",
  "5166",
  "5166-903",
  "5168",
  "5169",
  "5170",
  "5171",
  "5171-920",
  "5184",
  "5186",
  "8110",
  "8112",
  "8114",
  "8140",
  "8190",
  "8192",
];

/**
 * A SAOS node needs its chassis as `type:`; its startup-config can only be a `.partial` one, placed
 * under its own name in /config and named to the launcher in SAOS_STARTUP_CONFIG_PATH.
 */
export function saosLayout(node: LayoutInput): NodeLayout | { error: string } {
  if (!node.type) return { error: `missing type for ciena_saos node "${node.name}"` };
  const file = node.startupConfig;
  if (!file) return { env: {}, binds: [], startupConfigs: [] };
  if (!file.includes(".partial"))
    return {
      error: `ciena_saos node "${node.name}" only supports partial startup-config files (missing .partial): ${file}`,
    };
  const base = file.split("/").at(-1) as string;
  return { env: { SAOS_STARTUP_CONFIG_PATH: `/config/${base}` }, binds: [], startupConfigs: [`config/${base}`] };
}

/** Ciena SAOS, a vrnetlab VM (Containerlab: nodes/ciena_saos). */
export default vrnetlab({
  name: "ciena_saos",
  aliases: ["vr-ciena_saos"],
  credentials: { username: "diag", password: "ciena123" },
  types: { valid: VARIANTS },
  // The launcher logs in with SAOS's own defaults, whatever the node's credentials say.
  env: { CONNECTION_MODE: "tc", USERNAME: "diag", PASSWORD: "ciena123" },
  credentialEnv: false,
  layout: saosLayout,
  interfaces: portMap(/^(?<port>[1-9]\d*)$/, 1, "X (where X >= 1) or ethX (where X >= 1)", { vm: true }),
});
