import { LabError } from "../errors.ts";
import { pushScope } from "./blobs.ts";
import type { RegistryClient } from "./client.ts";
import { getManifest, MANIFEST_ACCEPT } from "./pull.ts";
import { formatReference, type ImageReference } from "./reference.ts";

export interface DeleteResult {
  reference: string;
  digest: string;
  /** Which API deleted it: the registry's own, or Harbor's REST API when the registry refused. */
  via: "registry" | "harbor";
}

/** The digest a tag points at, as the registry reports it (HEAD; a GET when it sends no header). */
export async function resolveDigest(client: RegistryClient, ref: ImageReference, signal?: AbortSignal) {
  if (ref.digest) return ref.digest;
  const path = `/v2/${ref.repository}/manifests/${ref.tag}`;
  const what = `resolve ${formatReference(ref)}`;
  const head = await client.request("HEAD", path, {
    scopes: [pushScope(ref.repository)],
    headers: { accept: MANIFEST_ACCEPT },
    accept: [200, 404],
    what,
    signal,
  });
  await head.body?.cancel();
  if (head.status === 404)
    throw new LabError("not-found", `${formatReference(ref)} does not exist`, {
      hint: `See lab images tags ${ref.registry}/${ref.repository}`,
    });
  const digest = head.headers.get("docker-content-digest");
  if (digest) return digest;
  return (await getManifest(client, ref.repository, ref.tag as string, signal)).digest;
}

/**
 * Deletes a manifest by digest, as the distribution API asks (tags cannot be deleted on their own:
 * every tag on that digest goes with it). Registries that refuse (Distribution without
 * storage.delete, Harbor for robot accounts) are tried through Harbor's artifact API.
 */
export async function deleteImage(
  client: RegistryClient,
  ref: ImageReference,
  options: { digest?: string; signal?: AbortSignal } = {},
) {
  const signal = options.signal;
  const digest = options.digest ?? (await resolveDigest(client, ref, signal));
  const r = await client.request("DELETE", `/v2/${ref.repository}/manifests/${digest}`, {
    scopes: [`repository:${ref.repository}:delete`, pushScope(ref.repository)],
    accept: [200, 202, 401, 403, 404, 405],
    what: `delete ${formatReference(ref)}`,
    signal,
  });
  const refused = await r.text();
  if (r.status === 200 || r.status === 202)
    return { reference: formatReference(ref), digest, via: "registry" } satisfies DeleteResult;
  if (r.status === 404)
    throw new LabError("not-found", `${formatReference(ref)} (${digest.slice(0, 19)}) is already gone`);
  if (await deleteThroughHarbor(client, ref.repository, digest, signal))
    return { reference: formatReference(ref), digest, via: "harbor" } satisfies DeleteResult;
  const unsupported = r.status === 405 || /UNSUPPORTED/.test(refused);
  throw new LabError(
    unsupported ? "unsupported" : "auth",
    `${client.registry} refused to delete ${formatReference(ref)} (HTTP ${r.status}${unsupported ? ": deletion is disabled" : ""})`,
    {
      hint: unsupported
        ? "Distribution deletes only with storage.delete.enabled (REGISTRY_STORAGE_DELETE_ENABLED=true)"
        : "The account needs delete rights on the repository",
    },
  );
}

/** Harbor: DELETE /api/v2.0/projects/{project}/repositories/{repo}/artifacts/{digest}; false when not Harbor. */
async function deleteThroughHarbor(client: RegistryClient, repository: string, digest: string, signal?: AbortSignal) {
  const [project, ...rest] = repository.split("/");
  if (!rest.length) return false;
  // Harbor wants a repository name with slashes encoded twice.
  const repo = encodeURIComponent(encodeURIComponent(rest.join("/")));
  const r = await client.request("DELETE", `/api/v2.0/projects/${project}/repositories/${repo}/artifacts/${digest}`, {
    accept: [200, 401, 403, 404, 405],
    what: `delete ${repository}@${digest.slice(0, 19)} (Harbor API)`,
    basic: true,
    signal,
    retry: false,
  });
  await r.body?.cancel();
  return r.status === 200;
}
