import { expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { enhancedPacket, interfaceDescription, sectionHeader } from "../../core/capture/pcapng.ts";
import { sink } from "./capture.ts";

// tcpdump's -C/-W as lab writes it: FILE0, FILE1, … of about -C MB, a ring of -W; each file starts
// with the section and interface blocks again, so each opens alone in Wireshark.
test("a ring of files, each a whole pcapng", () => {
  const dir = mkdtempSync(join(tmpdir(), "lab-ring-"));
  try {
    const out = sink({ file: join(dir, "cap"), megabytes: 0.001, files: 3 });
    out.write(sectionHeader(), "header");
    out.write(interfaceDescription(1, 262144, "r1:eth1", 6), "header");
    for (let i = 0; i < 40; i++) out.write(enhancedPacket(0, BigInt(i), new Uint8Array(100), 100), "packet");
    out.close();
    expect(readdirSync(dir).sort()).toEqual(["cap0", "cap1", "cap2"]);
    for (const f of readdirSync(dir)) {
      const b = readFileSync(join(dir, f));
      expect(b.readUInt32LE(0)).toBe(0x0a0d0d0a);
      expect(b.length).toBeLessThanOrEqual(1000 + 200);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
