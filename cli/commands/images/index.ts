import { defineCommand } from "citty";

const load = (m: Promise<{ default: unknown }>) => m.then((r) => r.default as ReturnType<typeof defineCommand>);

export default defineCommand({
  meta: { name: "images", description: "Push lab images to a registry, list repositories and tags, log in" },
  subCommands: {
    push: () => load(import("./push.ts")),
    ls: () => load(import("./ls.ts")),
    tags: () => load(import("./tags.ts")),
    login: () => load(import("./login.ts")),
    logout: () => load(import("./logout.ts")),
  },
});
