import { defineCommand } from "citty";
import { API_SERVER, insteadCommand, listCommand, removeCommand } from "./helpers.ts";

// Containerlab's start flags (cmd/tools_api.go).
const FLAGS = [
  "image/i",
  "name/n",
  "labs-dir/l",
  "port/p",
  "host",
  "jwt-secret",
  "jwt-expiration",
  "user-group",
  "superuser-group",
  "log-level",
  "gin-mode",
  "trusted-proxies",
  "tls-enable",
  "tls-cert",
  "tls-key",
  "ssh-base-port",
  "ssh-max-port",
  "owner/o",
];

export default defineCommand({
  meta: { name: "api-server", description: "Containerlab's API server containers: status and stop (lab starts none)" },
  subCommands: {
    status: listCommand(API_SERVER, "status"),
    stop: removeCommand(API_SERVER, "stop", "clab-api-server by default"),
    start: insteadCommand(API_SERVER, "start", FLAGS),
  },
});
