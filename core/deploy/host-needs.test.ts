import { describe, expect, test } from "bun:test";
import { findKind } from "../kinds/index.ts";
import type { KindDef } from "../kinds/types.ts";
import { hostNeedsProblems, olderKernel } from "./host-needs.ts";

const srsim = findKind("nokia_srsim") as KindDef;
const cjunos = findKind("juniper_cjunosevolved") as KindDef;
const linux = findKind("linux") as KindDef;

describe("host requirements as Containerlab's HostRequirements.Verify", () => {
  test("too few vCPUs or GB available: said, the deploy goes on", () => {
    const r = hostNeedsProblems(
      [
        { node: "pe", kind: srsim },
        { node: "j", kind: cjunos },
        { node: "h", kind: linux },
      ],
      { machine: "x86_64", kernel: "6.1.0-28-amd64", vcpus: 2, availableGb: 6, ssse3: true },
    );
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([
      'node "pe" (nokia_srsim) requires minimum 4 vCPUs, but the host only has 2 vCPUs',
      'node "j" (juniper_cjunosevolved) requires minimum 4 vCPUs, but the host only has 2 vCPUs',
      'node "j" (juniper_cjunosevolved) has a minimum available memory requirement of 8 GB whilst only 6 GB memory is available',
    ]);
  });

  test("an older kernel than the NOS wants is said", () => {
    expect(olderKernel("4.19.0-25-amd64", "5.5.0")).toBe(true);
    expect(olderKernel("6.1.0-28-amd64", "5.5.0")).toBe(false);
    expect(olderKernel("5.5", "5.5.0")).toBe(false);
    const r = hostNeedsProblems([{ node: "pe", kind: srsim }], {
      machine: "x86_64",
      kernel: "4.19.0",
      vcpus: 8,
      availableGb: 32,
      ssse3: true,
    });
    expect(r.warnings).toEqual([
      "Nokia SR OS requires a kernel version greater than 5.5.0. Detected kernel version: 4.19.0; not all features might work",
    ]);
  });

  test("SSSE3 missing on x86_64 stops it; other machines are not asked", () => {
    const facts = { machine: "x86_64", kernel: "6.1.0", vcpus: 8, availableGb: 32, ssse3: false };
    expect(hostNeedsProblems([{ node: "pe", kind: srsim }], facts).errors).toEqual([
      'SSSE3 CPU feature is required for node "pe" (nokia_srsim)',
    ]);
    expect(hostNeedsProblems([{ node: "pe", kind: srsim }], { ...facts, machine: "aarch64" }).errors).toEqual([]);
  });
});
