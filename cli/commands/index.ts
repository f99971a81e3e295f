import type { CommandDef } from "citty";

const load = (m: Promise<{ default: unknown }>) => m.then((r) => r.default as CommandDef);

/** Containerlab's verbs, for hands used to `clab deploy`: same command, left out of the help. */
const alias = (target: string, m: Promise<{ default: unknown }>) =>
  load(m).then((c) => {
    const meta = c.meta as { description?: string };
    return {
      ...c,
      meta: { ...meta, description: `Same as lab ${target}: ${meta.description}`, hidden: true },
    } as CommandDef;
  });

// Loaded lazily: `lab version` should not pay for the topology parser or the registry client.
export const commands = {
  up: () => load(import("./up.ts")),
  down: () => load(import("./down.ts")),
  inspect: () => load(import("./inspect.ts")),
  exec: () => load(import("./exec.ts")),
  shell: () => load(import("./shell.ts")),
  capture: () => load(import("./capture.ts")),
  validate: () => load(import("./validate.ts")),
  save: () => load(import("./save.ts")),
  stop: () => load(import("./stop.ts")),
  start: () => load(import("./start.ts")),
  restart: () => load(import("./restart.ts")),
  events: () => load(import("./events.ts")),
  redeploy: () => load(import("./redeploy.ts")),
  images: () => load(import("./images/index.ts")),
  share: () => load(import("./share/index.ts")),
  login: () => load(import("./login/index.ts")),
  version: () => load(import("./version.ts")),
  completion: () => load(import("./completion.ts")),
  tools: () => load(import("./tools/index.ts")),
  generate: () => load(import("./generate.ts")),
  graph: () => load(import("./graph.ts")),
  deploy: () => alias("up", import("./up.ts")),
  apply: () => alias("up", import("./up.ts")),
  destroy: () => alias("down", import("./down.ts")),
  // Containerlab's short aliases (cmd/*.go Aliases).
  dep: () => alias("up", import("./up.ts")),
  des: () => alias("down", import("./down.ts")),
  rdep: () => alias("redeploy", import("./redeploy.ts")),
  ev: () => alias("events", import("./events.ts")),
  gen: () => alias("generate", import("./generate.ts")),
  ins: () => alias("inspect", import("./inspect.ts")),
  i: () => alias("inspect", import("./inspect.ts")),
  val: () => alias("validate", import("./validate.ts")),
} satisfies Record<string, () => Promise<CommandDef>>;
