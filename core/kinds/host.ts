import type { KindDef } from "./types.ts";

/** The host's own network namespace as a link end (Containerlab: nodes/host). */
export default { name: "host", aliases: [], role: "host" } satisfies KindDef;
