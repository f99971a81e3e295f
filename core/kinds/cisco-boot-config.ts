import { type GoStruct, renderTemplate } from "../gotemplate/index.ts";
import type { RunningNode } from "./types.ts";

/**
 * A Cisco boot config for a running node (IOL, vIOS): its own startup-config rendered with the
 * kind's template data, or the kind's default with a `.partial` one inside it.
 */
export function ciscoBootConfig(
  node: RunningNode,
  defaultTemplate: string,
  data: (node: RunningNode, partial: string) => GoStruct,
  what: string,
): string {
  const raw = node.rawConfig;
  const partial = raw?.file?.includes(".partial") ? raw.text : "";
  const template = raw && !partial ? raw.text : defaultTemplate;
  return renderTemplate(template, data(node, partial), what);
}
