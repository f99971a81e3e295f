import { container } from "./vrnetlab.ts";

/** Cumulus VX's memory needs by release; other tags get 768MB (Containerlab's memoryReqs). */
const MEMORY: Record<string, string> = { "4.3.0": "512MB", "4.4.0": "768MB" };

/** Cumulus VX in a container (Containerlab: nodes/cvx): a memory limit by release, swpX interfaces. */
export default container({
  name: "cumulus_cvx",
  aliases: ["cvx"],
  defaultMemory: (tag) => MEMORY[tag] ?? "768MB",
  interfaces: {
    help: "swpX, where X is >=0",
    // Go's regexp is not anchored at the start.
    map: (name) =>
      /swp[\d.]+$/.test(name)
        ? name
        : {
            error: `interface name "${name}" doesn't match the required pattern. It should be named as swpX, where X is >=0`,
          },
  },
});
