import { defineCommand } from "citty";
import { GOTTY, insteadCommand, listCommand, removeCommand } from "./helpers.ts";

// Containerlab's attach and reattach flags (cmd/tools_gotty.go).
const FLAGS = ["lab/l", "name", "port/p", "username/u", "password/P", "shell/s", "image/i", "owner/o", "format/f"];

export default defineCommand({
  meta: { name: "gotty", description: "Containerlab's GoTTY containers: list and remove them (lab starts none)" },
  subCommands: {
    list: listCommand(GOTTY),
    detach: removeCommand(GOTTY, "detach", "clab-<lab>-gotty by default"),
    attach: insteadCommand(GOTTY, "attach", FLAGS),
    reattach: insteadCommand(GOTTY, "reattach", FLAGS),
  },
});
