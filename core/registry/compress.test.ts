import { describe, expect, test } from "bun:test";
import { gunzipSync } from "node:zlib";
import { compressLayer, sha256 } from "./compress.ts";

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
    expect(out.length).toBe(3);
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
