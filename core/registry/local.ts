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

/** The local images labs use: those of deployed labs' containers, and of a topology when given. */
export async function localLabImages(docker: DockerClient, topology?: LabModel): Promise<LocalImage[]> {
  const uses = new Map<string, Set<string>>();
  const add = (image: string, lab: string) => uses.set(image, (uses.get(image) ?? new Set()).add(lab));
  for (const c of await listLabContainers(docker)) add(c.image, c.lab);
  for (const n of topology?.nodes ?? [])
    if (n.image && n.kind.role === "container") add(n.image, topology?.name as string);
  const out: LocalImage[] = [];
  for (const [image, labs] of uses) {
    const info = await docker.images.find(image);
    const slash = image.lastIndexOf("/");
    const colon = image.lastIndexOf(":");
    const [repository, tag] = colon > slash ? [image.slice(0, colon), image.slice(colon + 1)] : [image, "latest"];
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
