import { ipBatch, routeDevice, tcBatch } from "../../runtime/net/ip.ts";
import type { Platform } from "../../runtime/platform/index.ts";
import { LabError } from "../errors.ts";
import type { LinkBatches } from "./links.ts";
import type { LinkStep } from "./plan.ts";
import { mapLimit } from "./pool.ts";

/** Runs link batches: the host's first (it creates both ends), then each namespace's, then tc. */
export async function runLinkBatches(platform: Platform, batches: LinkBatches, workers: number): Promise<void> {
  await ipBatch(platform, batches.root);
  await mapLimit([...batches.perNetns], workers, ([ns, lines]) => ipBatch(platform, lines, ns));
  await tcBatch(platform, batches.tc);
}

/**
 * The underlay each vxlan tunnel without a parent-interface leaves by. Looked up before anything is
 * created, so that a remote this host cannot reach fails while there is nothing to undo.
 */
export async function vxlanRoutes(links: LinkStep[], platform: Platform): Promise<Map<string, string>> {
  const routes = new Map<string, string>();
  for (const l of links) {
    const remote = l.vxlan && !l.vxlan.parent ? l.vxlan.remote : undefined;
    if (!remote || routes.has(remote)) continue;
    const dev = await routeDevice(platform, remote);
    if (!dev)
      throw new LabError("input", `link ${l.label}: this host has no route to the vxlan remote ${remote}`, {
        hint: "Add a route to it, or name the underlay with parent-interface:",
      });
    routes.set(remote, dev);
  }
  return routes;
}
