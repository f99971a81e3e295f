import { defineCommand } from "citty";
import { insteadCommand, listCommand, removeCommand, SSHX } from "./helpers.ts";

// Containerlab's attach and reattach flags (cmd/tools_sshx.go).
const FLAGS = ["lab/l", "name", "enable-readers/w", "image/i", "owner/o", "expose-ssh/s", "format/f"];

export default defineCommand({
  meta: { name: "sshx", description: "Containerlab's SSHX containers: list and remove them (lab starts none)" },
  subCommands: {
    list: listCommand(SSHX),
    detach: removeCommand(SSHX, "detach", "clab-<lab>-sshx by default"),
    attach: insteadCommand(SSHX, "attach", FLAGS),
    reattach: insteadCommand(SSHX, "reattach", FLAGS),
  },
});
