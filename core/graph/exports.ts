import { mkdir, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { LabModel } from "../topology/model.ts";
import { toDot } from "./export/dot.ts";
import { toDrawio } from "./export/drawio.ts";
import { toMermaid } from "./export/mermaid.ts";
import { layoutGraph, withPositions } from "./layout.ts";
import { buildGraph, type Graph } from "./model.ts";

// Export formats, a table: each renders the graph as text and names its file as Containerlab does
// (clab-<lab>/graph/<topology>.<ext>).

export interface ExportOptions {
  mermaidDirection?: string;
}

export const exportFormats = {
  dot: { ext: "dot", render: async (g: Graph) => toDot(g) },
  mermaid: { ext: "mermaid", render: async (g: Graph, o: ExportOptions) => toMermaid(g, o.mermaidDirection) },
  drawio: { ext: "drawio", render: async (g: Graph) => toDrawio(g, layoutGraph(g)) },
  json: { ext: "json", render: async (g: Graph) => `${JSON.stringify(withPositions(g), null, 2)}\n` },
} as const;

export type ExportFormat = keyof typeof exportFormats;

/**
 * Containerlab's place for graph files: <labDir>/graph/<topology file without extensions>.<ext>;
 * a draw.io diagram goes beside the topology as <file without .yml>.drawio, where Containerlab's
 * clab-io-draw writes it (03-lab.clab.yml → 03-lab.clab.drawio).
 */
export function exportPath(lab: LabModel, format: ExportFormat): string {
  if (format === "drawio" && lab.file !== "<stdin>") return lab.file.replace(/\.(ya?ml|gotmpl)$/, "") + ".drawio";
  const base =
    lab.file === "<stdin>" ? lab.name : basename(lab.file).replace(/\.clab\.(ya?ml|gotmpl)$|\.(ya?ml|gotmpl)$/, "");
  return join(lab.labDir, "graph", `${base}.${exportFormats[format].ext}`);
}

/**
 * deploy --graph, as Containerlab's GenerateDotGraph: the dot file in the lab dir, then a PNG of it
 * when Graphviz's dot is installed. Returns the files written.
 */
export async function writeDeployGraph(
  lab: LabModel,
  runDot: (argv: string[]) => Promise<{ code: number }>,
): Promise<string[]> {
  const dot = exportPath(lab, "dot");
  await mkdir(dirname(dot), { recursive: true });
  await writeFile(dot, await exportFormats.dot.render(buildGraph(lab)));
  const png = dot.replace(/\.dot$/, ".png");
  const rendered = await runDot(["dot", "-Tpng", dot, "-o", png]).catch(() => ({ code: -1 }));
  return rendered.code === 0 ? [dot, png] : [dot];
}
