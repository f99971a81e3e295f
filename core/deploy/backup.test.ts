import { expect, test } from "bun:test";
import { backupName } from "./backup.ts";

// Containerlab's TopologyBakFileAbsPath: time.Now().Format("060102_150405") + "_" + the file's name.
test("the backup is named as Containerlab names it", () => {
  expect(backupName("/labs/01-linux-nodes.clab.yml", new Date(2026, 0, 2, 3, 4, 5))).toBe(
    "260102_030405_01-linux-nodes.clab.yml",
  );
});
