import type { KindDef } from "./types.ts";

/** A container lab did not create and never removes (Containerlab: nodes/ext_container). */
export default { name: "ext-container", aliases: [], role: "external" } satisfies KindDef;
