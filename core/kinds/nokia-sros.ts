import { LabError } from "../errors.ts";
import { componentPortIndex, srosComponentsProblem, srosVariant } from "./sros-components.ts";
import type { PostDeployContext, RunningNode } from "./types.ts";
import { vrnetlab } from "./vrnetlab.ts";

const HELP =
  "<slot>/<mda>/<port>, <slot>/x<xiom>/<mda>/<port> or <slot>/<mda>/c<conn>/<port> (e.g. 2/1/3, 1/x1/2/3 or 1/1/c1/1), or ethX";
const PORT = /^(?<slot>\d+)\/(?:x(?<xiom>\d+)\/)?(?<mda>\d+)\/(?:c(?<conn>\d+)\/)?(?<port>\d+)$/;

/**
 * vrnetlab SR OS ports (Containerlab's CalculateInterfaceIndex): without components, 1/1/P is ethP
 * and 1/1/cC/1 is ethC; with them, the NIC after those of the line cards and MDAs before it.
 */
function srosPort(name: string, node?: { components: Record<string, unknown>[] }): string | { error: string } {
  if (/eth[1-9]\d*$/.test(name)) return name;
  const m = PORT.exec(name);
  if (!m?.groups)
    return { error: `interface name "${name}" could not be mapped to an ethX-based interface name (expected ${HELP})` };
  const { slot, xiom, mda, conn, port } = m.groups;
  if (Number(port) < 1) return { error: `interface "${name}" has an invalid port number` };
  if (conn && Number(port) !== 1)
    return {
      error: `interface "${name}" uses a breakout sub-port (c${conn}/${port}); breakout ports are not auto-mapped, use the ethX name instead`,
    };
  const index = Number(conn ?? port);
  if (node?.components.length) {
    const at = componentPortIndex(node.components, name, {
      slot: Number(slot),
      xiom: Number(xiom ?? 0),
      mda: Number(mda),
      port: index,
    });
    return typeof at === "string" ? { error: at } : `eth${at}`;
  }
  if (slot !== "1" || mda !== "1" || xiom)
    return {
      error: `interface "${name}" cannot be mapped on a node without components: only slot 1 / mda 1 ports map automatically; define components: on the node or use the ethX name`,
    };
  return `eth${index}`;
}

/**
 * The admin user's SSH keys as SR OS MD-CLI lines (RSA and ECDSA, at most 32 each, numbered down
 * from 32 as Containerlab does), after letting enough login attempts through for an agent's keys.
 */
export function srosSshKeyLines(keys: NonNullable<RunningNode["sshKeys"]>): string[] {
  if (!keys.length) return [];
  const user = '/configure system security user-params local-user user "admin" public-keys';
  const rsa = keys.filter((k) => k.type === "ssh-rsa").slice(0, 32);
  const ecdsa = keys.filter((k) => k.type.startsWith("ecdsa-sha2-")).slice(0, 32);
  return [
    "/configure system security user-params attempts count 64",
    ...rsa.map((k, i) => `${user} rsa rsa-key ${32 - i} key-value ${k.key}`),
    ...ecdsa.map((k, i) => `${user} ecdsa ecdsa-key ${32 - i} key-value ${k.key}`),
  ];
}

/** A partial config's lines as SR OS gets them: CRLF and tabs normalised, then committed and saved. */
export function srosPartialSession(text: string): string[] {
  const lines = text.replace(/\r\n/g, "\n").replace(/\t/g, "    ").split("\n");
  return ["edit-config private", ...lines, "commit", "/admin save", "/exit all", "quit-config"];
}

/**
 * Containerlab's vr_sros PostDeploy: a `.partial` startup-config (unless the node has a saved
 * config) and the user's SSH keys, typed into the MD-CLI once the VM is healthy and SSH answers.
 */
async function srosPostDeploy(ctx: PostDeployContext): Promise<void> {
  const saved = await ctx.fileExists("tftpboot/config.txt");
  const partial = !saved && ctx.node.cliConfig ? ctx.node.cliConfig.replace(/\n+$/, "") : "";
  // CLAB_SKIP_SROS_SSH_KEY_CONFIG: no keys (the lines are MD-CLI; a classic-CLI node would refuse them).
  const keys = ctx.hostEnv("CLAB_SKIP_SROS_SSH_KEY_CONFIG") === undefined ? (ctx.node.sshKeys ?? []) : [];
  const text = [partial, ...srosSshKeyLines(keys)].filter(Boolean).join("\n");
  if (!text.trim()) return;
  let out = "";
  const ok = await ctx.waitUntil(async () => {
    const health = await ctx.health();
    if (health === "starting" || health === "unhealthy") return false;
    out = await ctx.cli(srosPartialSession(text));
    return true;
  });
  if (!ok) throw new LabError("remote", "the VM never became healthy and reachable over SSH");
  const error = /^(MINOR|MAJOR|CRITICAL|Error):.*$/m.exec(out);
  if (error) throw new LabError("remote", `the MD-CLI refused the configuration: ${error[0]}`);
}

/** Nokia SR OS as a vrnetlab VM (Containerlab: nodes/vr_sros). Boots from tftpboot/config.txt. */
export default vrnetlab({
  name: "nokia_sros",
  aliases: ["vr-sros", "vr-nokia_sros"],
  credentials: { username: "admin", password: "admin" },
  platform: { scrapli: "nokia_sros" },
  ansible: { networkOs: "nokia.sros.md", connection: "ansible.netcommon.network_cli" },
  // vrnetlab's SR OS takes its variant from the node type (sr-1 when none), not credentials.
  // With `components:`, the variant is their TiMOS lines (one CPM, then the line cards).
  cmd: ({ name, type, env, components }) =>
    `--trace --connection-mode ${env.CONNECTION_MODE} --hostname ${name} --variant "${srosVariant(type ?? "sr-1", components, env)}"`,
  layout: ({ components }) => {
    const problem = srosComponentsProblem(components);
    return problem ? { error: problem } : { env: {}, binds: [], startupConfigs: ["tftpboot/config.txt"] };
  },
  // vr_sros tells the launcher no login: SR OS boots with its own admin user.
  credentialEnv: false,
  binds: ["__clabNodeDir__/tftpboot:/tftpboot"],
  // Copied into tftpboot, where the launcher looks (vr_sros's createVrSROSFiles).
  licenseFile: "tftpboot/license.txt",
  startupConfig: "tftpboot/config.txt",
  // A *.partial startup-config is typed into the CLI after boot instead of replacing the config.
  partialConfigs: true,
  postDeploy: { what: "the partial configuration and SSH keys", run: srosPostDeploy },
  saveNetconf: true,
  interfaces: { help: HELP, map: srosPort },
});
