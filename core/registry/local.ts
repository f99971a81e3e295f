import type { DockerClient } from "../../runtime/docker/index.ts";
import { listLabContainers } from "../deploy/inspect.ts";
import type { LabModel } from "../topology/index.ts";

export interface LocalImage {
  repository: string;
  tag: string;
  id: string;
  size: number;
  created: string;
  /** Labs (deployed, or the given topology) that use it. */
  labs: string[];
  present: boolean;
}

/** How the engine names an image: `alpine` is `alpine:latest`, Docker Hub's prefixes are dropped. */
export function canonicalImage(ref: string): string {
  let name = ref.replace(/^(docker\.io|index\.docker\.io)\/(library\/)?/, "");
  const slash = name.lastIndexOf("/");
  const colon = name.lastIndexOf(":");
  if (!name.includes("@") && colon <= slash) name = `${name}:latest`;
  return name;
}

function split(image: string): [string, string] {
  const at = image.indexOf("@");
  if (at >= 0) return [image.slice(0, at), image.slice(at + 1)];
  const colon = image.lastIndexOf(":");
  return [image.slice(0, colon), image.slice(colon + 1)];
}

/**
 * Local images with the labs that use each (deployed labs' containers, and a topology when given),
 * as `docker images` lists them. `labOnly` keeps just the images some lab uses, including those a
 * topology names that are not pulled yet.
 */
export async function localImages(
  docker: DockerClient,
  options: { topology?: LabModel; labOnly?: boolean } = {},
): Promise<LocalImage[]> {
  const uses = new Map<string, Set<string>>();
  const add = (image: string, lab: string) => {
    const key = canonicalImage(image);
    uses.set(key, (uses.get(key) ?? new Set()).add(lab));
  };
  for (const c of await listLabContainers(docker)) add(c.image, c.lab);
  const topology = options.topology;
  for (const n of topology?.nodes ?? [])
    if (n.image && n.kind.role === "container") add(n.image, topology?.name as string);
  const out: LocalImage[] = [];
  const listed = new Set<string>();
  for (const img of await docker.images.list()) {
    const names = img.RepoTags?.filter((t) => t !== "<none>:<none>") ?? [];
    for (const name of names.length ? names : ["<none>:<none>"]) {
      const labs = [...(uses.get(name) ?? [])].sort();
      listed.add(name);
      if (options.labOnly && !labs.length) continue;
      const [repository, tag] = split(name);
      out.push({
        repository,
        tag,
        id: img.Id.replace(/^sha256:/, "").slice(0, 12),
        size: img.Size,
        created: new Date(img.Created * 1000).toISOString(),
        labs,
        present: true,
      });
    }
  }
  // Images a lab names that the engine does not have (not pulled yet, or removed).
  for (const [name, labs] of uses) {
    if (listed.has(name)) continue;
    const [repository, tag] = split(name);
    // A digest reference is not among RepoTags; the engine still resolves it.
    const info = name.includes("@") ? await docker.images.find(name) : null;
    out.push({
      repository,
      tag,
      id: info ? info.Id.replace(/^sha256:/, "").slice(0, 12) : "",
      size: info?.Size ?? 0,
      created: info?.Created ?? "",
      labs: [...labs].sort(),
      present: !!info,
    });
  }
  return out.sort((a, b) => a.repository.localeCompare(b.repository) || a.tag.localeCompare(b.tag));
}
