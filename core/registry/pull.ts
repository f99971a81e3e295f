import { LabError } from "../errors.ts";
import { pullScope } from "./blobs.ts";
import type { RegistryClient } from "./client.ts";
import { digestOf, sha256 } from "./compress.ts";
import { type Descriptor, INDEX_TYPES, MEDIA } from "./manifest.ts";

// Reading from a registry: manifests (an index narrowed to one platform, or kept whole) and blobs
// streamed with their digest checked as they pass.

export const MANIFEST_ACCEPT = [
  MEDIA.oci.manifest,
  MEDIA.v2s2.manifest,
  ...INDEX_TYPES,
  "application/vnd.docker.distribution.manifest.v1+prettyjws",
].join(", ");

export interface FetchedManifest {
  mediaType: string;
  bytes: Uint8Array;
  digest: string;
}

export interface ImageManifest {
  config: Descriptor;
  layers: Descriptor[];
  manifests?: (Descriptor & { platform?: Platform })[];
}

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/** "linux/arm64/v8" → a platform; the default is the one lab itself runs on. */
export function parsePlatform(text: string | undefined): Platform {
  const arch: Record<string, string> = { x64: "amd64", arm64: "arm64", arm: "arm" };
  if (!text) return { os: "linux", architecture: arch[process.arch] ?? process.arch };
  const [os, architecture, variant] = text.split("/");
  if (!os || !architecture)
    throw new LabError("usage", `--platform ${text} is not os/arch[/variant]`, { hint: "e.g. linux/amd64" });
  return { os, architecture, ...(variant ? { variant } : {}) };
}

export async function getManifest(
  client: RegistryClient,
  repo: string,
  reference: string,
  signal?: AbortSignal,
): Promise<FetchedManifest> {
  const r = await client.request("GET", `/v2/${repo}/manifests/${reference}`, {
    scopes: [pullScope(repo)],
    headers: { accept: MANIFEST_ACCEPT },
    accept: [200],
    what: `get manifest ${repo}:${reference}`,
    signal,
  });
  const bytes = new Uint8Array(await r.arrayBuffer());
  const parsed = JSON.parse(new TextDecoder().decode(bytes)) as { mediaType?: string; schemaVersion?: number };
  const mediaType = (r.headers.get("content-type") ?? parsed.mediaType ?? MEDIA.oci.manifest).split(";")[0] as string;
  if (parsed.schemaVersion === 1)
    throw new LabError(
      "input",
      `${client.registry}/${repo}:${reference} has a schema 1 manifest, which lab does not copy`,
      {
        hint: "Push it again with a current docker or skopeo",
      },
    );
  const digest = digestOf(bytes);
  if (reference.startsWith("sha256:") && reference !== digest)
    throw new LabError("remote", `${client.registry} sent a manifest for ${reference} whose digest is ${digest}`);
  return { mediaType, bytes, digest };
}

export const parseManifest = (m: FetchedManifest) => JSON.parse(new TextDecoder().decode(m.bytes)) as ImageManifest;

/** An index's entry for a platform (variant matched when asked for). */
export function pickPlatform(index: ImageManifest, want: Platform, what: string): Descriptor & { platform?: Platform } {
  const found = (index.manifests ?? []).find(
    (m) =>
      m.platform?.os === want.os &&
      m.platform?.architecture === want.architecture &&
      (!want.variant || m.platform.variant === want.variant),
  );
  if (!found)
    throw new LabError(
      "not-found",
      `${what} has no image for ${want.os}/${want.architecture}${want.variant ? `/${want.variant}` : ""}`,
      {
        hint: `It has: ${(index.manifests ?? [])
          .map((m) =>
            m.platform
              ? `${m.platform.os}/${m.platform.architecture}${m.platform.variant ? `/${m.platform.variant}` : ""}`
              : "?",
          )
          .join(", ")}; pick one with --platform`,
      },
    );
  return found;
}

/** A blob's bytes as they arrive, checked against its digest at the end. */
export async function* blobChunks(
  client: RegistryClient,
  repo: string,
  d: Descriptor,
  signal?: AbortSignal,
): AsyncGenerator<Uint8Array> {
  const r = await client.request("GET", `/v2/${repo}/blobs/${d.digest}`, {
    scopes: [pullScope(repo)],
    accept: [200],
    what: `get blob ${d.digest.slice(0, 19)} from ${repo}`,
    signal,
  });
  if (!r.body) throw new LabError("remote", `${client.registry} sent no body for ${d.digest}`);
  const h = sha256();
  let size = 0;
  for await (const chunk of r.body as unknown as AsyncIterable<Uint8Array>) {
    h.update(chunk);
    size += chunk.length;
    yield chunk;
  }
  if (`sha256:${h.digest("hex")}` !== d.digest || size !== d.size)
    throw new LabError(
      "remote",
      `${client.registry} sent ${repo}@${d.digest.slice(0, 19)} with other content (${size} bytes)`,
    );
}

export async function blobBytes(client: RegistryClient, repo: string, d: Descriptor, signal?: AbortSignal) {
  const parts: Uint8Array[] = [];
  for await (const c of blobChunks(client, repo, d, signal)) parts.push(c);
  return Buffer.concat(parts);
}
