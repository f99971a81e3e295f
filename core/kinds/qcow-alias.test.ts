import { describe, expect, test } from "bun:test";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { imageTag, qcowAliasCommand } from "./qcow-alias.ts";

/** The script run against a directory standing in for the container's / (paths rewritten). */
function runIn(root: string, image: string) {
  const [, , script] = qcowAliasCommand(image) as string[];
  const local = (script as string)
    .replaceAll('"/clab-', `"${root}/clab-`)
    .replaceAll("/sros.qcow2", `${root}/sros.qcow2`)
    .replaceAll("/*.qcow2", `${root}/*.qcow2`);
  execFileSync("sh", ["-c", local]);
}

describe("vrnetlab's pre-stop qcow alias (VRNode.PreStop)", () => {
  test("the tag, as Containerlab reads it", () => {
    expect(imageTag("vrnetlab/nokia_sros:25.3.R1")).toBe("25.3.R1");
    expect(imageTag("registry:5000/vrnetlab/csr:17.3@sha256:abc")).toBe("17.3");
    expect(imageTag("registry:5000/vrnetlab/csr")).toBeUndefined();
    expect(qcowAliasCommand("vrnetlab/csr")).toBeUndefined();
  });

  test("the one disk gets a hard link named by the tag; overlays ignored; two disks left alone", () => {
    const root = mkdtempSync(join(tmpdir(), "lab-qcow-"));
    try {
      writeFileSync(join(root, "csr1000v-17.03.qcow2"), "disk");
      writeFileSync(join(root, "overlay.qcow2"), "overlay");
      runIn(root, "vrnetlab/cisco_csr1000v:17.03");
      const alias = join(root, "clab-17.03.qcow2");
      expect(statSync(alias).ino).toBe(statSync(join(root, "csr1000v-17.03.qcow2")).ino);
      runIn(root, "vrnetlab/cisco_csr1000v:17.03");
      writeFileSync(join(root, "second.qcow2"), "disk2");
      runIn(root, "vrnetlab/cisco_csr1000v:17.04");
      expect(existsSync(join(root, "clab-17.04.qcow2"))).toBe(false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
