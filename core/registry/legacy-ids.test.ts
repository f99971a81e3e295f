import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { chainIDs, legacyLayerIndex } from "./legacy-ids.ts";

// Two layers of an image exported by Docker 20.10's `docker save` (directories named by v1 id).
const diffIDs = [
  "sha256:234613685fc463eea77da84105dc4a69ca775701cbe5085a60537eae56b102aa",
  "sha256:ee476d3ada0f6caa76267b06d8cd8f29e5d19d56d5842af4fcaaa30d10f26b9f",
];
const json = (n: number) => readFileSync(join(import.meta.dir, `testdata/legacy-layer${n}.json`), "utf8");

test("a legacy layer directory is matched to its place in the layer stack by its v1 id", () => {
  const chain = chainIDs(diffIDs);
  expect(chain[1]).toBe(`sha256:${new Bun.CryptoHasher("sha256").update(`${diffIDs[0]} ${diffIDs[1]}`).digest("hex")}`);
  expect(legacyLayerIndex("861db520a0ae79d59857ed0951d96e9b8ee50bf68482522562dae9b78d1eb348", json(0), chain)).toBe(0);
  expect(legacyLayerIndex("437120e8f8c3030a6534da0605564a8446275c66a6db53835ea6c0b64d8fca03", json(1), chain)).toBe(1);
  expect(legacyLayerIndex("0".repeat(64), json(1), chain)).toBeUndefined();
});
