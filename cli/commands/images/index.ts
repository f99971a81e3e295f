import { defineCommand } from "citty";

const load = (m: Promise<{ default: unknown }>) => m.then((r) => r.default as ReturnType<typeof defineCommand>);

export default defineCommand({
  meta: {
    name: "images",
    description: "Push, save, load, copy and delete lab images; list repositories and tags; log in",
  },
  subCommands: {
    push: () => load(import("./push.ts")),
    save: () => load(import("./save.ts")),
    load: () => load(import("./load.ts")),
    copy: () => load(import("./copy.ts")),
    sync: () => load(import("./sync.ts")),
    rm: () => load(import("./rm.ts")),
    ls: () => load(import("./ls.ts")),
    tags: () => load(import("./tags.ts")),
    login: () => load(import("./login.ts")),
    logout: () => load(import("./logout.ts")),
  },
});
