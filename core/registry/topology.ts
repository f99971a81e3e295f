import { readFile } from "node:fs/promises";
import { isMap, isScalar, parseDocument } from "yaml";
import type { LabModel } from "../topology/index.ts";
import { parseReference } from "./reference.ts";

/** Where each of a lab's images goes under `REGISTRY/PROJECT`: the last path part and the tag are kept. */
export function targetsFor(lab: LabModel, to: string): Map<string, string> {
  const base = to.replace(/\/+$/, "");
  const out = new Map<string, string>();
  for (const n of lab.nodes) {
    if (!n.image || n.kind.role !== "container" || out.has(n.image)) continue;
    const ref = parseReference(n.image);
    const name = ref.repository.split("/").at(-1) as string;
    out.set(n.image, `${base}/${name}${ref.tag ? `:${ref.tag}` : ""}${ref.digest ? `@${ref.digest}` : ""}`);
  }
  return out;
}

/**
 * The topology text with every `image:` that was pushed pointing at the registry. Edits the YAML
 * document, so comments, order and the rest of the file stay as they were.
 */
export async function rewriteImages(file: string, targets: Map<string, string>): Promise<string> {
  const doc = parseDocument(await readFile(file, "utf8"));
  const topology = doc.get("topology", true);
  if (!isMap(topology)) return doc.toString();
  const fix = (node: unknown) => {
    if (!isMap(node)) return;
    const image = node.get("image", true);
    if (isScalar(image) && typeof image.value === "string" && targets.has(image.value))
      image.value = targets.get(image.value);
  };
  fix(topology.get("defaults", true));
  for (const section of ["nodes", "groups", "kinds"]) {
    const map = topology.get(section, true);
    if (isMap(map)) for (const item of map.items) fix(item.value);
  }
  return doc.toString();
}
