import type { Platform } from "../../runtime/platform/index.ts";
import { LabError } from "../errors.ts";
import type { KindDef } from "../kinds/index.ts";
import type { Reporter } from "./reporter.ts";

// What a kind asks of the host it runs on (Containerlab's HostRequirements): SSSE3 is a must; vCPUs
// and available memory below the kind's minimum are said as errors but the deploy goes on, as
// Containerlab's Verify does (its vCPU check follows the memory check's fail action, which is Log).

export interface HostFacts {
  /** uname -m: SSSE3 is an x86_64 matter. */
  machine: string;
  /** uname -r. */
  kernel: string;
  vcpus: number;
  availableGb: number;
  ssse3: boolean;
}

/** One command on the node's host, so remote hosts answer the same way. */
export async function hostFacts(platform: Platform): Promise<HostFacts> {
  const r = await platform.run([
    "sh",
    "-c",
    "uname -m; uname -r; nproc; awk '/^MemAvailable:/ {print $2}' /proc/meminfo; grep -c -w ssse3 /proc/cpuinfo || true",
  ]);
  const [machine = "", kernel = "", vcpus = "0", kb = "0", ssse3 = "0"] = new TextDecoder()
    .decode(r.stdout)
    .trim()
    .split("\n");
  return {
    machine,
    kernel,
    vcpus: Number(vcpus),
    availableGb: Math.floor(Number(kb) / 1024 / 1024),
    ssse3: Number(ssse3) > 0,
  };
}

/** `kernel` (uname -r: 6.1.0-28-amd64) is older than `min` (5.5.0). */
export function olderKernel(kernel: string, min: string): boolean {
  const parts = (v: string) => (v.match(/^\d+(\.\d+){0,2}/)?.[0] ?? "0").split(".").map(Number);
  const [a, b] = [parts(kernel), parts(min)];
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  return false;
}

/** The problems of the nodes' kinds on a host: errors that stop the deploy, and warnings. */
export function hostNeedsProblems(
  nodes: { node: string; kind: KindDef }[],
  facts: HostFacts,
): { errors: string[]; warnings: string[] } {
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const { node, kind } of nodes) {
    const needs = kind.hostNeeds;
    if (!needs) continue;
    if (needs.ssse3 && facts.machine === "x86_64" && !facts.ssse3)
      errors.push(`SSSE3 CPU feature is required for node "${node}" (${kind.name})`);
    if (needs.minVcpus && facts.vcpus < needs.minVcpus)
      warnings.push(
        `node "${node}" (${kind.name}) requires minimum ${needs.minVcpus} vCPUs, but the host only has ${facts.vcpus} vCPUs`,
      );
    if (needs.minKernel && olderKernel(facts.kernel, needs.minKernel.version))
      warnings.push(
        `${needs.minKernel.who} requires a kernel version greater than ${needs.minKernel.version}. Detected kernel version: ${facts.kernel}; not all features might work`,
      );
    if (needs.minMemoryGb && facts.availableGb < needs.minMemoryGb)
      warnings.push(
        `node "${node}" (${kind.name}) has a minimum available memory requirement of ${needs.minMemoryGb} GB whilst only ${facts.availableGb} GB memory is available`,
      );
  }
  return { errors, warnings };
}

/** Checks a host for the nodes planned on it; says the warnings, throws the errors. */
export async function checkHostNeeds(
  nodes: { node: string; kind: KindDef }[],
  platform: Platform,
  reporter: Reporter,
): Promise<void> {
  if (!nodes.some((n) => n.kind.hostNeeds)) return;
  const { errors, warnings } = hostNeedsProblems(nodes, await hostFacts(platform));
  for (const w of warnings) reporter.warn(w);
  if (errors.length) throw new LabError("input", errors.join("\n"));
}
