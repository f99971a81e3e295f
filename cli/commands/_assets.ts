import { LabError } from "../../core/errors.ts";

/** The page bundle (the graph, the terminals) built into the binary by scripts/build-web.ts. */
export async function loadAssets() {
  try {
    return await import("../../core/graph/assets.generated.js");
  } catch {
    throw new LabError("internal", "the graph page is not built into this lab", { hint: "Build it with make build" });
  }
}
