import { basename, join } from "node:path";
import type { LabModel } from "../topology/model.ts";
import { toDot } from "./export/dot.ts";
import { toDrawio } from "./export/drawio.ts";
import { toMermaid } from "./export/mermaid.ts";
import { layoutGraph, withPositions } from "./layout.ts";
import type { Graph } from "./model.ts";

// Export formats, a table: each renders the graph as text and names its file as Containerlab does
// (clab-<lab>/graph/<topology>.<ext>).

export interface ExportOptions {
  mermaidDirection?: string;
}

export const exportFormats = {
  dot: { ext: "dot", render: async (g: Graph) => toDot(g) },
  mermaid: { ext: "mermaid", render: async (g: Graph, o: ExportOptions) => toMermaid(g, o.mermaidDirection) },
  drawio: { ext: "drawio", render: async (g: Graph) => toDrawio(g, await layoutGraph(g)) },
  json: { ext: "json", render: async (g: Graph) => `${JSON.stringify(await withPositions(g), null, 2)}\n` },
} as const;

export type ExportFormat = keyof typeof exportFormats;

/** Containerlab's place for graph files: <labDir>/graph/<topology file without extensions>.<ext>. */
export function exportPath(lab: LabModel, format: ExportFormat): string {
  const base =
    lab.file === "<stdin>" ? lab.name : basename(lab.file).replace(/\.clab\.(ya?ml|gotmpl)$|\.(ya?ml|gotmpl)$/, "");
  return join(lab.labDir, "graph", `${base}.${exportFormats[format].ext}`);
}
