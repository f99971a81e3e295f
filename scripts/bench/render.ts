// Rendering and validating a 1,000-node templated fabric (a Go template in Containerlab's function
// set, vars from a file): the CPU time `lab validate` spends, against the target of 1.25 s (it was
// 1 s before Containerlab's NO_PROXY made the printed plan 18 MB: README, Performance). No peer
// tool runs here (Containerlab is not installed); the figure is lab's own, median of the runs.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const dir = mkdtempSync(join(tmpdir(), "lab-bench-render-"));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

// 20 spines, 980 leaves, each leaf wired to 2 spines: 1,000 nodes and 1,960 links.
writeFileSync(
  join(dir, "fabric.clab.gotmpl"),
  `name: bench-fabric
topology:
  defaults: { kind: linux, image: lab-test/linux:1 }
  nodes:
{{- range $s := seq .spines }}
    spine{{ $s }}: { labels: { role: spine, pod: "{{ idiv $s 10 }}" } }
{{- end }}
{{- range $l := seq .leaves }}
    leaf{{ $l }}:
      labels: { role: leaf, rack: "{{ printf "r%03d" (rem $l 64) }}" }
      env: { ASN: "{{ add 65000 $l }}" }
{{- end }}
  links:
{{- range $l := seq .leaves }}
  {{- $a := add (rem $l $.spines) 1 }}
  {{- $b := add (rem (add $l 7) $.spines) 1 }}
    - endpoints: ["leaf{{ $l }}:eth1", "spine{{ $a }}:eth{{ add (idiv $l $.spines) 1 }}{{ if gt $a 0 }}{{ end }}"]
      ipv4: ["{{ net.CIDRHost (mul $l 4 | add 1) "10.0.0.0/8" }}/30", "{{ net.CIDRHost (mul $l 4 | add 2) "10.0.0.0/8" }}/30"]
    - endpoints: ["leaf{{ $l }}:eth2", "spine{{ $b }}:eth{{ add (idiv $l $.spines) 1 | add 100 }}"]
{{- end }}
`,
);
writeFileSync(join(dir, "fabric.clab_vars.yaml"), "spines: 20\nleaves: 980\n");

const cpu: number[] = [];
const wall: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  const proc = Bun.spawn(["dist/lab", "validate", "-t", join(dir, "fabric.clab.gotmpl"), "--format", "json"], {
    stdout: "ignore",
    stderr: "pipe",
  });
  const code = await proc.exited;
  wall.push(performance.now() - t0);
  if (code !== 0) throw new Error(`lab validate failed: ${await new Response(proc.stderr).text()}`);
  const usage = proc.resourceUsage();
  cpu.push(Number((usage?.cpuTime.user ?? 0n) + (usage?.cpuTime.system ?? 0n)) / 1000);
}
rmSync(dir, { recursive: true, force: true });
const c = median(cpu);
console.log(
  `templated fabric, 1,000 nodes / 1,960 links, lab validate (${RUNS} runs, medians): CPU ${c.toFixed(0)} ms, wall ${median(wall).toFixed(0)} ms   target ≤ 1250 ms CPU: ${c <= 1250 ? "met" : "NOT met"}`,
);
