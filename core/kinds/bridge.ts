import type { KindDef } from "./types.ts";

/** A Linux bridge on the host that must already exist (Containerlab: nodes/bridge). */
export default { name: "bridge", aliases: [], role: "bridge" } satisfies KindDef;
