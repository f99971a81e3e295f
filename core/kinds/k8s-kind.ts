import type { KindDef } from "./types.ts";

/** A kind (Kubernetes in Docker) cluster, which Containerlab creates with the kind tool. */
export default {
  name: "k8s-kind",
  aliases: [],
  role: "skip",
  note: "lab does not create Kubernetes-in-Docker clusters (Containerlab runs the kind tool for it); this node is not deployed",
} satisfies KindDef;
