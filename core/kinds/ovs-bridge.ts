import type { KindDef } from "./types.ts";

/** An Open vSwitch bridge on the host that must already exist (Containerlab: nodes/ovs). */
export default { name: "ovs-bridge", aliases: [], role: "bridge" } satisfies KindDef;
