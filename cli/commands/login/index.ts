import { defineCommand } from "citty";

export default defineCommand({
  meta: { name: "login", description: "Log in to services lab talks to (mysocket)" },
  subCommands: {
    mysocket: () => import("./mysocket.ts").then((m) => m.default),
  },
});
