import { expect, test } from "bun:test";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { firstFileOfTar } from "./containers.ts";

test("the first regular file of an archive, past pax headers; none in an empty one", () => {
  const dir = mkdtempSync(join(tmpdir(), "lab-tar-"));
  try {
    writeFileSync(join(dir, "chassis_info.json"), '{"chassis": "SR-7"}\n');
    // pax format with a long attribute: the engine's Go archive/tar writes such headers too.
    const tar = execFileSync("tar", [
      "--format=pax",
      "--pax-option=comment=x",
      "-C",
      dir,
      "-cf",
      "-",
      "chassis_info.json",
    ]);
    expect(new TextDecoder().decode(firstFileOfTar(new Uint8Array(tar)) ?? undefined)).toBe('{"chassis": "SR-7"}\n');
    expect(firstFileOfTar(new Uint8Array(1024))).toBeNull();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
