import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TarWriter } from "./tar-write.ts";

async function writeTar(build: (w: TarWriter) => Promise<void>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const w = new TarWriter({ write: async (c) => void parts.push(c) });
  await build(w);
  await w.end();
  const out = Buffer.concat(parts);
  expect(out.length).toBe(w.written);
  expect(out.length % 512).toBe(0);
  return out;
}

async function* chunks(data: Uint8Array, size: number) {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

describe("TarWriter", () => {
  test("GNU tar reads what it writes, long names through pax headers", async () => {
    const long = `lab/${"deep/".repeat(30)}startup.cfg`;
    const body = new Uint8Array(5000).map((_, i) => i % 251);
    const tar = await writeTar(async (w) => {
      await w.directory("blobs/sha256");
      await w.file("index.json", new TextEncoder().encode('{"schemaVersion":2}'));
      await w.stream("blobs/sha256/abc", body.length, chunks(body, 777));
      await w.file(long, new TextEncoder().encode("hostname r1\n"));
    });
    const dir = mkdtempSync(join(tmpdir(), "lab-tarw-"));
    try {
      writeFileSync(join(dir, "t.tar"), tar);
      const r = spawnSync("tar", ["-C", dir, "-xf", join(dir, "t.tar")]);
      expect(r.status).toBe(0);
      expect(readFileSync(join(dir, "index.json"), "utf8")).toBe('{"schemaVersion":2}');
      expect(new Uint8Array(readFileSync(join(dir, "blobs/sha256/abc")))).toEqual(body);
      expect(readFileSync(join(dir, long), "utf8")).toBe("hostname r1\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a stream shorter or longer than declared is an error", async () => {
    const w = new TarWriter({ write: async () => {} });
    await expect(w.stream("x", 10, chunks(new Uint8Array(5), 5))).rejects.toThrow("5 of its 10 bytes");
    await expect(w.stream("y", 3, chunks(new Uint8Array(5), 5))).rejects.toThrow("more than its 3 bytes");
  });
});
