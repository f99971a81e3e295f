import { describe, expect, test } from "bun:test";
import { gunzipSync } from "node:zlib";
import { BLOCK_SIZE, compressLayer, sha256 } from "./compress.ts";

async function* source(data: Uint8Array, chunk: number) {
  for (let i = 0; i < data.length; i += chunk) yield data.subarray(i, i + chunk);
}

describe("compressLayer", () => {
  const data = new Uint8Array(5_500_000).map((_, i) => (i * 31) % 251);
  test("gzip blocks concatenate into one stream that gunzips to the input", async () => {
    const hashes = { input: sha256(), output: sha256() };
    const out: Uint8Array[] = [];
    for await (const c of compressLayer(source(data, 65536), { compression: "gzip", concurrency: 2 }, hashes))
      out.push(c);
    const blob = Buffer.concat(out);
    expect(out.length).toBe(Math.ceil(data.length / BLOCK_SIZE));
    expect(Buffer.compare(gunzipSync(blob), Buffer.from(data))).toBe(0);
    expect(hashes.input.digest("hex")).toBe(sha256().update(data).digest("hex"));
    expect(hashes.output.digest("hex")).toBe(sha256().update(blob).digest("hex"));
  });
  test("none passes bytes through and hashes them once", async () => {
    const hashes = { input: sha256(), output: sha256() };
    let n = 0;
    for await (const c of compressLayer(source(data, 100_000), { compression: "none", concurrency: 2 }, hashes))
      n += c.length;
    expect(n).toBe(data.length);
    expect(hashes.output.digest("hex")).toBe(hashes.input.digest("hex"));
  });
});

describe("worthCompressing", () => {
  test("stores random blocks and compresses text", async () => {
    const { worthCompressing } = await import("./compress.ts");
    const random = new Uint8Array(1 << 20);
    for (let i = 0; i < random.length; i += 65536) crypto.getRandomValues(random.subarray(i, i + 65536));
    expect(worthCompressing(random)).toBe(false);
    expect(worthCompressing(new TextEncoder().encode("interface ethernet-1/1\n".repeat(50_000)))).toBe(true);
  });
  test("a stored block is still a gzip member that gunzips to the input", async () => {
    const random = new Uint8Array(3 << 20);
    for (let i = 0; i < random.length; i += 65536) crypto.getRandomValues(random.subarray(i, i + 65536));
    const out: Uint8Array[] = [];
    for await (const c of compressLayer(
      source(random, 65536),
      { compression: "gzip", concurrency: 2 },
      { input: sha256(), output: sha256() },
    ))
      out.push(c);
    expect(Buffer.compare(gunzipSync(Buffer.concat(out)), Buffer.from(random))).toBe(0);
  });
});

test("the output does not depend on how the input was chunked", async () => {
  const data = new Uint8Array(5_000_000).map((_, i) => (i * 131) % 253);
  const run = async (chunk: number) => {
    const hashes = { input: sha256(), output: sha256() };
    for await (const _ of compressLayer(source(data, chunk), { compression: "gzip", concurrency: 3 }, hashes)) {
      // consumed
    }
    return hashes.output.digest("hex");
  };
  expect(await run(65536)).toBe(await run(77777));
});

describe("storedGzip", () => {
  const { crc32 } = require("node:zlib") as { crc32: (d: Uint8Array) => number };
  test.each([0, 1, 65_535, 65_536, 200_000, BLOCK_SIZE])("a %d-byte block gunzips to itself", async (n) => {
    const { storedGzip } = await import("./compress.ts");
    const data = new Uint8Array(n).map((_, i) => (i * 7) % 256);
    const out = storedGzip(data, crc32);
    expect(out.length).toBe(10 + 5 * Math.max(1, Math.ceil(n / 65_535)) + n + 8);
    expect(Buffer.compare(gunzipSync(out), Buffer.from(data))).toBe(0);
  });
});
