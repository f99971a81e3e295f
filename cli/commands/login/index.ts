import { defineCommand } from "citty";

export default defineCommand({
  meta: { name: "login", description: "Log in to services lab talks to (Border0, mysocket)" },
  subCommands: {
    border0: () => import("./border0.ts").then((m) => m.default),
    mysocket: () => import("./mysocket.ts").then((m) => m.default),
  },
});
