import type { NodeExecResult } from "../../core/deploy/exec.ts";

/** Containerlab's exec.Stdout marshaller: output that is valid JSON is embedded as JSON, else a string. */
function stdoutValue(stdout: string): unknown {
  if (stdout.trim() === "") return stdout;
  try {
    return JSON.parse(stdout);
  } catch {
    return stdout;
  }
}

/**
 * `lab exec --format json` in Containerlab's shape (exec.ExecCollection.Dump): results keyed by
 * container name, `{"cmd": [...], "return-code": N, "stdout": …, "stderr": "…"}` each, so
 * `jq '.[][0].stdout'` reads the same in both tools.
 */
export function execJson(results: NodeExecResult[]): Record<string, unknown[]> {
  const byContainer: Record<string, unknown[]> = {};
  for (const r of results) {
    const entry = { cmd: r.argv, "return-code": r.exitCode, stdout: stdoutValue(r.stdout), stderr: r.stderr };
    byContainer[r.container] = [...(byContainer[r.container] ?? []), entry];
  }
  return byContainer;
}
