import { describe, expect, test } from "bun:test";
import { findKind } from "../kinds/index.ts";
import type { KindDef } from "../kinds/types.ts";
import { savedConfigPath, timestamped } from "./save.ts";

describe("lab save --copy, as Containerlab's copySavedConfig", () => {
  test("copies are named by UTC time before the extension", () => {
    const at = new Date(Date.UTC(2026, 1, 6, 23, 59, 0));
    expect(timestamped("config.json", at)).toBe("config-260206_235900.json");
    expect(timestamped("startup-config", at)).toBe("startup-config-260206_235900");
  });

  test("the file each kind's save reports", () => {
    const kind = (n: string) => findKind(n) as KindDef;
    expect(savedConfigPath(kind("nokia_srlinux"), {})).toBe("config/config.json");
    expect(savedConfigPath(kind("arista_ceos"), {})).toBe("flash/startup-config");
    expect(savedConfigPath(kind("nokia_srsim"), { NOKIA_SROS_SLOT: "B" })).toBe("B/config/cf3/config.cfg");
    expect(savedConfigPath(kind("cisco_csr1000v"), {})).toBe("config/startup-config.cfg");
    expect(savedConfigPath(kind("mikrotik_ros"), {})).toBe("ftpboot/config.auto.rsc");
    // Saves that report no file (XRd, IOL) have nothing to copy.
    expect(savedConfigPath(kind("cisco_xrd"), {})).toBeUndefined();
    expect(savedConfigPath(kind("cisco_iol"), {})).toBeUndefined();
  });
});
