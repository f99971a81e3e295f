import { LabError } from "../errors.ts";

export const DOCKER_HUB = "docker.io";

export interface ImageReference {
  /** Registry host[:port]; docker.io for Docker Hub. */
  registry: string;
  /** Repository path, e.g. library/alpine. */
  repository: string;
  tag?: string;
  digest?: string;
}

/** Docker's normalization: the first component is a registry when it has a dot, a colon or is localhost. */
export function parseReference(ref: string): ImageReference {
  const text = ref.trim();
  if (!text || /\s/.test(text) || /[A-Z]/.test(text.split("@")[0]?.split("/").slice(1).join("/") ?? "")) {
    throw new LabError("input", `"${ref}" is not a valid image reference`, {
      hint: "Use [registry[:port]/]repository[:tag]",
    });
  }
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!/^[a-z0-9]+:[a-f0-9]{32,}$/.test(digest)) throw new LabError("input", `"${ref}" has an invalid digest`);
  }
  let tag: string | undefined;
  const slash = rest.lastIndexOf("/");
  const colon = rest.lastIndexOf(":");
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!/^[\w][\w.-]{0,127}$/.test(tag)) throw new LabError("input", `"${ref}" has an invalid tag "${tag}"`);
  }
  const parts = rest.split("/");
  let registry = DOCKER_HUB;
  const first = parts[0] ?? "";
  if (parts.length > 1 && (first.includes(".") || first.includes(":") || first === "localhost")) {
    registry = first;
    parts.shift();
  }
  if (registry === DOCKER_HUB && parts.length === 1) parts.unshift("library");
  const repository = parts.join("/");
  if (
    !repository ||
    !/^[a-z0-9]+(?:[._-]+[a-z0-9]+|__)*(?:\/[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*)*$/.test(repository)
  ) {
    throw new LabError("input", `"${ref}" is not a valid image reference: bad repository name "${repository}"`, {
      hint: "Repository names are lowercase letters, digits and . _ - separated by /",
    });
  }
  return { registry, repository, tag: tag ?? (digest ? undefined : "latest"), digest };
}

export function formatReference(r: ImageReference): string {
  const repo = r.registry === DOCKER_HUB ? r.repository.replace(/^library\//, "") : `${r.registry}/${r.repository}`;
  return `${repo}${r.tag ? `:${r.tag}` : ""}${r.digest ? `@${r.digest}` : ""}`;
}

/**
 * skopeo's `docker://host/repo:tag` form (the prefix is optional). Other transports are archives,
 * which `lab images save`/`load` handle.
 */
export function parseRegistryReference(text: string): ImageReference {
  const m = /^(docker-archive|docker-daemon|oci|oci-archive|dir|containers-storage|sif|ostree):/.exec(text);
  if (m)
    throw new LabError("usage", `${text}: lab copies between registries only (docker://…), not ${m[1]}:`, {
      hint: "For archives use lab images save / lab images load",
    });
  const bare = text.replace(/^docker:\/\//, "");
  const ref = parseReference(bare);
  if (ref.registry === DOCKER_HUB && !/^(docker\.io|index\.docker\.io)\//.test(bare) && !text.startsWith("docker://"))
    throw new LabError("usage", `${text} names no registry`, {
      hint: "Write registry[:port]/repo:tag (docker://docker.io/… for Docker Hub)",
    });
  return ref;
}
