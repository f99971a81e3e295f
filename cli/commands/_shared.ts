import type { ArgDef } from "citty";

export const formatArgs = {
  format: {
    type: "enum",
    options: ["table", "json"],
    default: "table",
    description: "Output format",
    alias: "f",
  },
} as const satisfies Record<string, ArgDef>;

export const verboseArgs = {
  verbose: { type: "boolean", description: "Show debug logs and stack traces", alias: "v" },
} as const satisfies Record<string, ArgDef>;
