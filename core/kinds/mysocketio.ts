import type { KindDef } from "./types.ts";

/** Containerlab's former mysocket sidecar: lab share publishes ports itself. */
export default {
  name: "mysocketio",
  aliases: ["border0"],
  role: "skip",
  note: "lab share publishes ports through the mysocket API itself; this sidecar node is not deployed",
} satisfies KindDef;
