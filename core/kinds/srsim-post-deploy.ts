import { LabError } from "../errors.ts";
import { nosHostsBlock } from "./nos-hosts.ts";
import type { PostDeployContext } from "./types.ts";

// Containerlab's PostDeploy for SR-SIM (nodes/sros): wait for the simulator's CPM/IOM process, put
// the lab's nodes into its /etc/hosts, then on the node's active CPM, once NETCONF answers: import
// the node's certificate into SR OS's PKI and enable its TLS profile (when it has one), and save the
// configuration it booted as its startup configuration (unless that was the user's full config).

/** The processes that say the simulator booted far enough to take configuration. */
const READY = ["^cpm$", "^both$", "^iom$"];

/** `admin system security pki import` of a PEM file on cf3 into the PKI (as an encrypted DER file). */
export function pkiImportRpc(file: string, type: "key" | "certificate"): string {
  return [
    '<action xmlns="urn:ietf:params:xml:ns:yang:1">',
    '<admin xmlns="urn:nokia.com:sros:ns:yang:sr:oper-admin"><system><security><pki><import>',
    `<input-url>cf3:/${file}</input-url><output-file>${file}</output-file><type>${type}</type><format>pem</format>`,
    "</import></pki></security></system></admin></action>",
  ].join("");
}

/** Enables the cert profile the default configuration left disabled, in the candidate. */
export const TLS_PROFILE_EDIT = [
  "<edit-config><target><candidate/></target><config>",
  '<configure xmlns="urn:nokia.com:sros:ns:yang:sr:conf" xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0">',
  '<system><security><tls><cert-profile nc:operation="merge">',
  "<cert-profile-name>clab-grpc-certs</cert-profile-name><admin-state>enable</admin-state>",
  "</cert-profile></tls></security></system></configure></config></edit-config>",
].join("");

export const SAVE_RPC = "<copy-config><target><startup/></target><source><running/></source></copy-config>";

/** Classic CLI: save the configuration and make the BOF keep it. */
export const CLASSIC_SAVE = ["/admin save", "/bof persist on", "/bof save"];

export const isClassic = (env: Record<string, string> | undefined) =>
  ["classic", "mixed"].includes((env?.CLAB_SROS_CONFIG_MODE ?? "").toLowerCase());

/** What SR OS prints when it could not load the startup configuration and booted its default. */
export const REJECTED = "Configuration load failed - using default configuration";

export async function srsimPostDeploy(ctx: PostDeployContext): Promise<void> {
  // The simulator's log, as Containerlab's MonitorLogs reads it: MINOR and CRITICAL messages are
  // passed on; a rejected configuration ends the post-deploy (there is nothing sane to save).
  let rejected = false;
  const stop = ctx.followLog((raw) => {
    const line = raw.replace(/[^\x20-\x7e\t]/g, "").trim();
    if (line.includes("MINOR:") || line.includes("CRITICAL:")) ctx.warn(`SR OS says: ${line}`);
    if (line.includes(REJECTED)) rejected = true;
  });
  try {
    await configure(ctx, () => rejected);
  } finally {
    stop();
  }
}

async function configure(ctx: PostDeployContext, rejected: () => boolean): Promise<void> {
  const { node } = ctx;
  const booted = await ctx.waitUntil(async () => {
    for (const p of READY) if ((await ctx.exec(["/usr/bin/pgrep", p])).code === 0) return true;
    return false;
  });
  if (!booted) throw new LabError("remote", "the simulator never started its cpm, both or iom process");
  const hosts = nosHostsBlock(node.peers ?? []);
  await ctx.exec(["sh", "-c", `cat >> /etc/hosts <<'LAB_EOF'\n${hosts}LAB_EOF`]);
  // Only the node's active CPM (slot A) is configured from here, as Containerlab's isCPM("A"); a
  // distributed chassis always is (its base node carries slot A, even when its CPM is B).
  if (!node.distributed && (node.env?.NOKIA_SROS_SLOT ?? "A").toUpperCase() !== "A") return;
  if (!node.tls && node.fullStartupConfig) return;
  // A full config of the user's need not enable NETCONF: then there is nothing to wait for.
  if (!node.fullStartupConfig && !(await ctx.waitUntil(async () => rejected() || ctx.portOpen(830))))
    throw new LabError("remote", "NETCONF (port 830) never answered on the management address");
  if (rejected()) throw new LabError("remote", `SR OS rejected the startup configuration ("${REJECTED}")`);
  const classic = isClassic(node.env);
  if (node.tls) {
    ctx.info("importing its certificate for gRPC over TLS");
    const rpcs = [pkiImportRpc("node.key", "key"), pkiImportRpc("node.crt", "certificate")];
    await ctx.netconf(classic ? rpcs : [...rpcs, TLS_PROFILE_EDIT, "<commit/>"]);
    if (classic) await ctx.cli(["/configure system security tls cert-profile clab-grpc-certs no shutdown"]);
  }
  if (node.fullStartupConfig) return;
  if (classic) await ctx.cli(CLASSIC_SAVE);
  else await ctx.netconf([SAVE_RPC]);
}
