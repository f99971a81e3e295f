import type { DockerClient, ImageInspect } from "../../runtime/docker/index.ts";
import type { Reporter } from "../deploy/reporter.ts";
import { blobExists, mountBlob, pushScope } from "./blobs.ts";
import type { BlobCache } from "./cache.ts";
import type { RegistryClient } from "./client.ts";
import type { Compression } from "./compress.ts";
import { digestOf } from "./compress.ts";
import type { Descriptor, ManifestFormat } from "./manifest.ts";
import type { ImageReference } from "./reference.ts";

// What a push takes and gives, and the blob steps both of its ways share (from the cache alone,
// or from an export): making a blob present by mount or existence, and the manifest PUT.

/** What is pushed: an image the engine exports, or one read from elsewhere (a bundle). */
export interface ImageSource {
  inspect: Pick<ImageInspect, "Id" | "RootFS" | "Os" | "Architecture">;
  /** A `docker save`-shaped tar of the image (legacy, Podman or OCI layout). */
  export(signal?: AbortSignal): Promise<ReadableStream<Uint8Array>>;
}

export interface PushOptions {
  source: string;
  /** Where the image comes from; the local engine's `source` when absent. */
  from?: ImageSource;
  dest: ImageReference;
  compression: Compression;
  format: ManifestFormat;
  concurrency: number;
  signal?: AbortSignal;
}

export interface PushDeps {
  docker: DockerClient;
  client: RegistryClient;
  cache: BlobCache;
  reporter: Reporter;
}

export type LayerStatus = "uploaded" | "skipped" | "mounted";

export interface PushResult {
  reference: string;
  digest: string;
  mediaType: string;
  /** false when nothing had to be exported (every blob already in the registry). */
  exported: boolean;
  layers: (Descriptor & { status: LayerStatus; from?: string })[];
}

export interface LayerResult extends Descriptor {
  diffID?: string;
  status: LayerStatus;
  from?: string;
}

export const short = (digest: string) => digest.replace(/^sha256:/, "").slice(0, 12);

/**
 * The blob cache's key for a registry: the registry and the account, so a mount is only tried from a
 * repository these same credentials reached before (another account's project refuses it on Harbor).
 */
export const cacheScope = (client: RegistryClient) =>
  client.account ? `${client.registry}#${client.account}` : client.registry;

/** Makes `digest` present in `repo`: already there, or mounted from a repo the cache remembers. */
export async function ensurePresent(
  client: RegistryClient,
  repo: string,
  digest: string,
  knownRepo: string | undefined,
  signal?: AbortSignal,
  onRefused?: (from: string) => void,
): Promise<LayerStatus | undefined> {
  if ((await blobExists(client, repo, digest, signal)) !== undefined) return "skipped";
  if (knownRepo && knownRepo !== repo) {
    if (await mountBlob(client, repo, digest, knownRepo, signal)) return "mounted";
    onRefused?.(knownRepo);
  }
  return undefined;
}

/** Says once per source repository that a mount was refused and the blobs are uploaded instead. */
export function refusedMounts(reporter: PushDeps["reporter"]) {
  const said = new Set<string>();
  return (from: string) => {
    if (said.has(from)) return;
    said.add(from);
    reporter.info(`the registry refused to mount blobs from ${from} (this account cannot read it): uploading them`);
  };
}

/** PUTs a manifest under a tag or digest; the digest the registry reports (or the bytes' own). */
export async function putManifest(
  client: RegistryClient,
  repo: string,
  tag: string,
  mediaType: string,
  bytes: Uint8Array,
  signal?: AbortSignal,
) {
  const r = await client.request("PUT", `/v2/${repo}/manifests/${tag}`, {
    scopes: [pushScope(repo)],
    headers: { "content-type": mediaType },
    body: bytes,
    accept: [201, 200],
    what: `push manifest ${repo}:${tag}`,
    signal,
  });
  await r.body?.cancel();
  return r.headers.get("docker-content-digest") ?? digestOf(bytes);
}
