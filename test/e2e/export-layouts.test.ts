// The two export layouts this machine's Docker 20.10 does not produce, built by hand and pushed to
// the real registry through a stand-in for the daemon: Docker ≥ 25's OCI layout (uncompressed layers
// named by diffID) and a containerd-store export (compressed blobs pushed as they are).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { silentReporter } from "../../core/deploy/reporter.ts";
import { BlobCache } from "../../core/registry/cache.ts";
import { RegistryClient } from "../../core/registry/client.ts";
import { pushImage } from "../../core/registry/push.ts";
import { parseReference } from "../../core/registry/reference.ts";
import { getPlatform } from "../../runtime/platform/index.ts";
import { sh, uniqueName } from "../helpers/env.ts";
import { startRegistry, type TestRegistry } from "../helpers/registry.ts";

const hex = (data: Uint8Array | string) => createHash("sha256").update(data).digest("hex");
const run = uniqueName("layouts");
let registry: TestRegistry;
const dirs: string[] = [];

/** A layer tar with one file, as bytes. */
function layerTar(content: string): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), "lab-layer-"));
  dirs.push(dir);
  writeFileSync(join(dir, "hello.txt"), content);
  return new Uint8Array(spawnSync("tar", ["-C", dir, "-c", "hello.txt"], { maxBuffer: 1 << 26 }).stdout);
}

/** A docker-save style tar of `files`, streamed the way the engine would. */
function exportTar(files: Record<string, Uint8Array | string>): ReadableStream<Uint8Array> {
  const dir = mkdtempSync(join(tmpdir(), "lab-export-"));
  dirs.push(dir);
  for (const [name, data] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), data);
  }
  const bytes = new Uint8Array(spawnSync("tar", ["-C", dir, "-c", "."], { maxBuffer: 1 << 26 }).stdout);
  return new ReadableStream({
    start(c) {
      for (let i = 0; i < bytes.length; i += 7000) c.enqueue(bytes.slice(i, i + 7000));
      c.close();
    },
  });
}

function fakeDocker(inspect: unknown, files: Record<string, Uint8Array | string>) {
  return { images: { find: async () => inspect, export: async () => exportTar(files) } } as never;
}

async function push(docker: never, dest: string) {
  const platform = await getPlatform();
  const client = new RegistryClient({
    registry: registry.address,
    credentials: { username: registry.username, password: registry.password },
    insecure: true,
    platform,
  });
  return pushImage(
    {
      source: "x:1",
      dest: parseReference(`${registry.address}/${dest}`),
      compression: "gzip",
      format: "v2s2",
      concurrency: 2,
    },
    { docker, client, cache: await BlobCache.open(undefined), reporter: silentReporter },
  );
}

const inspectRaw = (ref: string) =>
  JSON.parse(
    sh(`skopeo inspect --raw --tls-verify=false --creds "$C" docker://${registry.address}/${ref}`, {
      env: { C: `${registry.username}:${registry.password}` },
    }).stdout,
  );

beforeAll(async () => {
  registry = await startRegistry();
});
afterAll(async () => {
  await registry?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("export layouts", () => {
  test("Docker ≥ 25 OCI layout: layers named by diffID are compressed and pushed", async () => {
    const layer = layerTar("oci layout layer\n");
    const diffID = `sha256:${hex(layer)}`;
    const config = JSON.stringify({
      architecture: "amd64",
      os: "linux",
      rootfs: { type: "layers", diff_ids: [diffID] },
      config: {},
    });
    const configHex = hex(config);
    const docker = fakeDocker(
      { Id: `sha256:${configHex}`, RootFS: { Type: "layers", Layers: [diffID] }, Os: "linux", Architecture: "amd64" },
      {
        [`blobs/sha256/${diffID.slice(7)}`]: layer,
        [`blobs/sha256/${configHex}`]: config,
        "manifest.json": JSON.stringify([
          { Config: `blobs/sha256/${configHex}`, RepoTags: ["x:1"], Layers: [`blobs/sha256/${diffID.slice(7)}`] },
        ]),
        "index.json": JSON.stringify({ schemaVersion: 2, manifests: [] }),
        "oci-layout": '{"imageLayoutVersion":"1.0.0"}',
      },
    );
    const result = await push(docker, `${run}/oci:1`);
    expect(result.layers[0]?.status).toBe("uploaded");
    const manifest = inspectRaw(`${run}/oci:1`);
    expect(manifest.config.digest).toBe(`sha256:${configHex}`);
    expect(manifest.layers[0].digest).toBe(result.layers[0]?.digest);
    expect(manifest.layers[0].mediaType).toBe("application/vnd.docker.image.rootfs.diff.tar.gzip");
  });

  test("containerd-store export: compressed blobs and the image's own manifest are pushed as they are", async () => {
    const layer = layerTar("containerd layer\n");
    const gz = gzipSync(layer);
    const diffID = `sha256:${hex(layer)}`;
    const config = JSON.stringify({
      architecture: "amd64",
      os: "linux",
      rootfs: { type: "layers", diff_ids: [diffID] },
      config: {},
    });
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: {
        mediaType: "application/vnd.oci.image.config.v1+json",
        digest: `sha256:${hex(config)}`,
        size: config.length,
      },
      layers: [
        { mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: `sha256:${hex(gz)}`, size: gz.length },
      ],
    });
    const docker = fakeDocker(
      {
        Id: `sha256:${hex(manifest)}`,
        RootFS: { Type: "layers", Layers: [diffID] },
        Os: "linux",
        Architecture: "amd64",
      },
      {
        [`blobs/sha256/${hex(gz)}`]: gz,
        [`blobs/sha256/${hex(config)}`]: config,
        [`blobs/sha256/${hex(manifest)}`]: manifest,
        "index.json": JSON.stringify({
          schemaVersion: 2,
          manifests: [
            {
              mediaType: "application/vnd.oci.image.manifest.v1+json",
              digest: `sha256:${hex(manifest)}`,
              size: manifest.length,
            },
          ],
        }),
        "manifest.json": JSON.stringify([
          { Config: `blobs/sha256/${hex(config)}`, RepoTags: ["x:1"], Layers: [`blobs/sha256/${hex(gz)}`] },
        ]),
      },
    );
    const result = await push(docker, `${run}/containerd:1`);
    // The manifest keeps its digest: nothing was recompressed.
    expect(result.digest).toBe(`sha256:${hex(manifest)}`);
    expect(inspectRaw(`${run}/containerd:1`).layers[0].digest).toBe(`sha256:${hex(gz)}`);
  });
});
