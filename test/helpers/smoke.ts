import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lab } from "./env.ts";

// What the ports of Containerlab's smoke suites (test/e2e/smoke-*.test.ts) share: a directory with
// the suite's files, lab run as Robot runs CLAB_BIN, and output read as Robot reads it.

/** Robot's Run And Return Rc And Output: stderr and stdout together, without the last newline. */
export const combined = (r: { stdout: string; stderr: string }) => (r.stderr + r.stdout).replace(/\n$/, "");

/** A suite's ${CURDIR}: its topology and files written into a fresh directory. */
export function suiteDir(prefix: string, files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return {
    dir,
    path: (name: string) => join(dir, name),
    /** ${CLAB_BIN} --runtime docker …, from this directory. */
    run: (args: string[], env: Record<string, string> = {}) => lab(["--runtime", "docker", ...args], { env, cwd: dir }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
