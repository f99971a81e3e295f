import type { CommandDef } from "citty";

const load = (m: Promise<{ default: unknown }>) => m.then((r) => r.default as CommandDef);

// Loaded lazily: `lab version` should not pay for the topology parser or the registry client.
export const commands = {
  version: () => load(import("./version.ts")),
} satisfies Record<string, () => Promise<CommandDef>>;
