import { LabError } from "../errors.ts";
import type { PostDeployContext } from "./types.ts";
import { vrnetlab } from "./vrnetlab.ts";

/**
 * The commands that give the admin user the deploying user's SSH keys (Containerlab's
 * buildSSHKeyInjectionCommands): the file emptied, then each key appended, quoted for the shell.
 */
export function sonicVmKeyCommands(keys: { type: string; key: string }[]): string[] {
  return [
    "mkdir -p ~/.ssh && chmod 700 ~/.ssh",
    "truncate -s 0 ~/.ssh/authorized_keys",
    ...keys.map((k) => `printf '%s\\n' '${`${k.type} ${k.key}`.replaceAll("'", "'\\''")}' >> ~/.ssh/authorized_keys`),
    "chmod 600 ~/.ssh/authorized_keys",
  ];
}

/** Once the VM is healthy and SSH answers, the keys go in over its shell. */
async function sonicVmPostDeploy(ctx: PostDeployContext): Promise<void> {
  const keys = ctx.node.sshKeys ?? [];
  if (!keys.length) return;
  const ok = await ctx.waitUntil(async () => {
    if ((await ctx.health()) === "starting" || (await ctx.health()) === "unhealthy") return false;
    await ctx.cli(sonicVmKeyCommands(keys));
    return true;
  });
  if (!ok) throw new LabError("remote", "the VM never became healthy and reachable over SSH");
}

/** SONiC (VM), a vrnetlab VM (Containerlab: nodes/sonic_vm): boots from config/config_db.json. */
export default vrnetlab({
  name: "sonic-vm",
  aliases: [],
  // vrnetlab's backup script copies the VM's config out where it boots from (Containerlab's saveCmd).
  saveCommand: ["sh", "-c", "/backup.sh -u $USERNAME -p $PASSWORD backup"],
  credentials: { username: "admin", password: "admin" },
  platform: { scrapli: "sonic" },
  startupConfig: "config/config_db.json",
  // The management MAC under Containerlab's own OUI, as its Init generates.
  mgmtMacOui: "aa:c1:ab",
  postDeploy: { what: "SSH keys", run: sonicVmPostDeploy },
});
