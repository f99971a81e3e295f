import type { Compression } from "./compress.ts";

export type ManifestFormat = "v2s2" | "oci";

export const MEDIA = {
  v2s2: {
    manifest: "application/vnd.docker.distribution.manifest.v2+json",
    config: "application/vnd.docker.container.image.v1+json",
    layer: {
      gzip: "application/vnd.docker.image.rootfs.diff.tar.gzip",
      zstd: "application/vnd.docker.image.rootfs.diff.tar.zstd",
      none: "application/vnd.docker.image.rootfs.diff.tar",
    },
  },
  oci: {
    manifest: "application/vnd.oci.image.manifest.v1+json",
    config: "application/vnd.oci.image.config.v1+json",
    layer: {
      gzip: "application/vnd.oci.image.layer.v1.tar+gzip",
      zstd: "application/vnd.oci.image.layer.v1.tar+zstd",
      none: "application/vnd.oci.image.layer.v1.tar",
    },
  },
} as const;

export const INDEX_TYPES = new Set([
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
]);

export interface Descriptor {
  mediaType: string;
  size: number;
  digest: string;
}

export function layerMediaType(format: ManifestFormat, compression: Compression): string {
  return MEDIA[format].layer[compression];
}

export function buildManifest(
  format: ManifestFormat,
  config: Omit<Descriptor, "mediaType">,
  layers: Descriptor[],
): { mediaType: string; bytes: Uint8Array } {
  const mediaType = MEDIA[format].manifest;
  const manifest = {
    schemaVersion: 2,
    mediaType,
    config: { mediaType: MEDIA[format].config, size: config.size, digest: config.digest },
    layers: layers.map((l) => ({ mediaType: l.mediaType, size: l.size, digest: l.digest })),
  };
  return { mediaType, bytes: new TextEncoder().encode(JSON.stringify(manifest, null, 3)) };
}
