import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ByteReader, firstRegularFile, tarEntries } from "./tar.ts";

function makeTar(files: Record<string, string>, links: Record<string, string> = {}): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), "lab-tar-"));
  try {
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(join(dir, name, ".."), { recursive: true });
      writeFileSync(join(dir, name), content);
    }
    for (const [name, target] of Object.entries(links)) symlinkSync(target, join(dir, name));
    const r = spawnSync("tar", ["-C", dir, "-c", "--format=pax", "."], { maxBuffer: 1 << 28 });
    return new Uint8Array(r.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function chunked(data: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(c) {
      if (i >= data.length) return c.close();
      c.enqueue(data.slice(i, i + size));
      i += size;
    },
  });
}

async function readAll(data: Uint8Array, chunk: number, readBodies: (name: string) => boolean) {
  const reader = new ByteReader(chunked(data, chunk));
  const out: Record<string, string> = {};
  for await (const e of tarEntries(reader)) {
    if (e.type !== "0" || !readBodies(e.name)) {
      out[e.name] = e.type === "2" ? `-> ${e.linkname}` : `(${e.size})`;
      continue;
    }
    const parts: Uint8Array[] = [];
    for await (const c of reader.chunks(e.size)) parts.push(c);
    out[e.name] = new TextDecoder().decode(Buffer.concat(parts));
  }
  return out;
}

describe("tarEntries", () => {
  const long = `${"d".repeat(120)}/file.txt`;
  const tar = makeTar(
    { "a/layer.tar": "x".repeat(1500), "b.json": '{"k":1}', [long]: "long name" },
    { "c.tar": "a/layer.tar" },
  );

  test.each([1, 7, 512, 4096])("reads names, bodies and links in %i-byte chunks", async (chunk) => {
    const all = await readAll(tar, chunk, () => true);
    expect(all["a/layer.tar"]).toBe("x".repeat(1500));
    expect(all["b.json"]).toBe('{"k":1}');
    expect(all[long]).toBe("long name");
    expect(all["c.tar"]).toBe("-> a/layer.tar");
  });

  test("skips bodies the caller does not read", async () => {
    const all = await readAll(tar, 100, (name) => name === "b.json");
    expect(all["b.json"]).toBe('{"k":1}');
    expect(all["a/layer.tar"]).toBe("(1500)");
  });
});

describe("firstRegularFile", () => {
  test("the one file of a `docker cp` archive, past pax headers; none in an empty archive", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lab-tar-first-"));
    try {
      writeFileSync(join(dir, "chassis_info.json"), '{"chassis": "SR-7"}\n');
      // pax format with a long attribute: the engine's Go archive/tar writes such headers too.
      const tar = spawnSync("tar", [
        "--format=pax",
        "--pax-option=comment=x",
        "-C",
        dir,
        "-cf",
        "-",
        "chassis_info.json",
      ]).stdout as Buffer;
      const stream = (bytes: Uint8Array<ArrayBuffer>) => new Blob([bytes]).stream();
      expect(new TextDecoder().decode(await firstRegularFile(stream(new Uint8Array(tar))))).toBe(
        '{"chassis": "SR-7"}\n',
      );
      expect(await firstRegularFile(stream(new Uint8Array(1024)))).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
