import { composite } from "./interfaces.ts";
import { chassisBaseMac } from "./mac.ts";
import {
  componentConfig,
  componentEnv,
  distributedProblem,
  isDistributed,
  readComponents,
  sortComponents,
  standaloneEnv,
} from "./srsim-components.ts";
import { srsimDefaultConfig, srsimVariant } from "./srsim-config.ts";
import { CLASSIC_SAVE, isClassic, srsimPostDeploy } from "./srsim-post-deploy.ts";
import type { DefaultConfigInput, LayoutInput, NodeLayout } from "./types.ts";
import { container } from "./vrnetlab.ts";

// Nokia SR-SIM, the containerised SR OS, as Containerlab's nodes/sros sets up a standalone node:
// root, SR OS's sysctls, NOKIA_SROS_* telling the simulator its chassis, slot and base MAC (also the
// management MAC), the three compact flashes of its slot from the node dir, a licence it cannot boot
// without, and save over NETCONF. A distributed chassis (several `components:`) is one container per
// card sharing the first one's network namespace.

/** The system base MAC, also the management MAC (1c:…). */
export const srsimBaseMac = ({ lab, index }: { lab: string; name: string; index: number }) =>
  chassisBaseMac("1c", lab, index);

const FLASHES = (slot: string) =>
  [1, 2, 3].map((n) => `__clabNodeDir__/${slot}/config/cf${n}:/home/sros/flash${n}/:rw`);
const CONFIG = (slot: string) => `${slot}/config/cf3/config.cfg`;

/**
 * Containerlab's Init for the node's components: a standalone node's slot (A unless its chassis
 * allows B), card and MDAs as variables, its flashes and config in that slot's dir; a distributed
 * chassis as one container per card in Containerlab's order (line cards, then CPM B, then A), the
 * control cards with their own flashes and configuration.
 */
export function srsimLayout(node: LayoutInput): NodeLayout | { error: string } {
  const list = readComponents(node.components);
  if (!isDistributed(node.type, list)) {
    if (list.length > 1)
      return { error: `expected at most one component override for standalone SR-SIM node "${node.name}"` };
    const env = standaloneEnv(node.name, node.type, list[0]);
    if (typeof env === "string") return { error: env };
    const slot = env.NOKIA_SROS_SLOT ?? "A";
    // A SAR-Hm has no model-driven mode: Containerlab switches the node to classic.
    const mode = (node.env.CLAB_SROS_CONFIG_MODE ?? "").toLowerCase();
    if (srsimVariant(node.type, node.env).forceClassic && mode !== "classic" && mode !== "mixed")
      env.CLAB_SROS_CONFIG_MODE = "classic";
    return { env, binds: FLASHES(slot), startupConfigs: [CONFIG(slot)] };
  }
  const problem = distributedProblem(node.name, list);
  if (problem) return { error: problem };
  const sorted = sortComponents(list);
  const cpm = (slot: string) => slot === "A" || slot === "B";
  return {
    env: {},
    binds: [],
    // The preferred CPM (A, else B) is created last and holds the node's configuration; B's own
    // copy lets it take over.
    startupConfigs: sorted
      .filter((c) => cpm(c.slot))
      .reverse()
      .map((c) => CONFIG(c.slot)),
    containers: sorted.map((c) => ({
      slot: c.slot.toLowerCase(),
      env: componentEnv(c),
      binds: cpm(c.slot) ? FLASHES(c.slot) : [],
      cpm: cpm(c.slot),
    })),
  };
}

/** The default configuration for the node's chassis, mode and certificate, with its cards. */
export function srsimNodeConfig(node: DefaultConfigInput): string {
  const list = readComponents(node.components);
  const distributed = isDistributed(node.type, list) ? sortComponents(list) : undefined;
  const { mode } = srsimVariant(node.type, node.env);
  return srsimDefaultConfig({
    name: node.name,
    type: node.type,
    env: node.env,
    secure: node.secure,
    sshKeys: node.sshKeys,
    components: mode === "model-driven" ? componentConfig(node.type, node.env, distributed) : [],
  });
}

/** Nokia SR-SIM (Containerlab: nodes/sros): 1/2/3 is e1-2-3. */
export default container({
  name: "nokia_srsim",
  // SSSE3, 4 vCPUs and 4 GB available, as nodes/sros asks of the host.
  hostNeeds: {
    ssse3: true,
    minVcpus: 4,
    minMemoryGb: 4,
    minKernel: { version: "5.5.0", who: "Nokia SR OS" },
  },
  // Brief links are stitched through the host, so pcap and netem work on them (containerlab#3270).
  briefLinkType: "veth-stitch",
  aliases: [],
  // Its management traffic goes without checksums unless the host end fills them in.
  mgmtTxOffloadOff: "host-end",
  user: "0:0",
  sysctls: {
    "net.ipv4.ip_forward": "0",
    "net.ipv6.conf.all.disable_ipv6": "0",
    "net.ipv6.conf.default.disable_ipv6": "0",
    "net.ipv6.conf.all.accept_dad": "0",
    "net.ipv6.conf.default.accept_dad": "0",
    "net.ipv6.conf.all.autoconf": "0",
    "net.ipv6.conf.default.autoconf": "0",
    "net.ipv4.conf.all.rp_filter": "0",
    "net.ipv6.conf.all.accept_ra": "0",
    "net.ipv6.conf.default.accept_ra": "0",
    "net.ipv4.conf.default.rp_filter": "0",
  },
  env: { SRSIM: "1", NOKIA_SROS_SLOT: "A", CLAB_SROS_CONFIG_MODE: "model-driven" },
  // Any chassis name the simulator knows; SR-1 when none is given.
  types: { valid: [], default: "SR-1" },
  typeEnv: (type) => ({ NOKIA_SROS_CHASSIS: type }),
  mgmtMac: srsimBaseMac,
  layout: srsimLayout,
  mgmtMacEnv: "NOKIA_SROS_SYSTEM_BASE_MAC",
  // Copied into the node dir and bound from there, as Containerlab's createSROSFiles.
  licenseFile: "license.key",
  licensePath: "/nokia/license/license.txt",
  licenseRequired: true,
  startupConfig: CONFIG("A"),
  // SNMP, gRPC, NETCONF, the admin user and the chassis's cards; a *.partial startup-config is added
  // to it instead of replacing it.
  defaultConfig: srsimNodeConfig,
  partialIntoDefault: true,
  saveNetconf: true,
  // The active CPM's, as its SaveConfig reports.
  savedConfig: (env) => CONFIG(env.NOKIA_SROS_SLOT ?? "A"),
  // Classic (and mixed) mode saves over the CLI instead.
  saveCliLines: (env) => (isClassic(env) ? CLASSIC_SAVE : undefined),
  // The certificate in the active CPM's cf3, where post-deploy imports it into the PKI.
  tlsFiles: ({ env }) => {
    const dir = `${env.NOKIA_SROS_SLOT ?? "A"}/config/cf3`;
    return { key: `${dir}/node.key`, cert: `${dir}/node.crt` };
  },
  postDeploy: { what: "hosts, TLS profile and startup configuration", run: srsimPostDeploy },
  imageCheck: (labels) =>
    "vrnetlab-version" in labels
      ? {
          error:
            "kind is nokia_srsim but the image is a vrnetlab image; use kind: nokia_sros with this image, or the SR-SIM container image for kind: nokia_srsim",
        }
      : labels["org.opencontainers.image.title"] === "srsim"
        ? undefined
        : {
            warning:
              "kind is nokia_srsim but the image does not have SR-SIM's labels; use a valid SR-SIM container image (or a more recent one) to silence this",
          },
  // The simulator's description of its chassis, kept beside the node's flashes for reference.
  imageFiles: [
    {
      from: "/opt/nokia/chassis_info.json",
      to: "chassis_info.json",
      header:
        "// Copyright 2026 Nokia\n// Licensed under the BSD 3-Clause License.\n// SPDX-License-Identifier: BSD-3-Clause\n\n",
    },
  ],
  credentials: { username: "admin", password: "NokiaSros1!" },
  platform: { scrapli: "nokia_sros" },
  ansible: { networkOs: "nokia.sros.md", connection: "ansible.netcommon.network_cli" },
  interfaces: composite(
    /^(?<card>\d+)\/(?:x(?<xiom>\d+)\/)?(?<mda>\d+)(?:\/c(?<connector>\d+))?\/(?<port>\d+)$/,
    (g) =>
      `e${g.card}-${g.xiom !== undefined ? `x${g.xiom}-` : ""}${g.mda}-${g.connector !== undefined ? `c${g.connector}-` : ""}${g.port}`,
    /^(?:e(?<card>\d+)-(?:x(?<xiom>\d+)-)?(?<mda>\d+)(?:-c(?<connector>\d+))?-(?<port>\d+)|eth(?<mgmtPort>\d+))$/,
    "card/mda/port, card/mda/cC/port, card/xX/mda/port, card/xX/mda/cC/port, the mapped eC-M-P forms, or ethN",
  ),
});
