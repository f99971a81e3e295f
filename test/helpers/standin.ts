import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sh } from "./env.ts";

/**
 * A stand-in NOS image built from the test base image (busybox): `files` land executable in
 * /stand/, then the Dockerfile `steps` (links into place, ENTRYPOINT/CMD, labels). Built in its own
 * context dir under `dir`; throws with the engine's output when the build fails.
 */
export function buildStandin(dir: string, image: string, files: Record<string, string>, steps: string[]): void {
  const ctx = join(dir, `standin-${image.replace(/[^A-Za-z0-9]+/g, "-")}`);
  mkdirSync(ctx, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(ctx, name), text);
  writeFileSync(
    join(ctx, "Dockerfile"),
    [
      "FROM lab-test/linux:1",
      ...Object.keys(files).map((f) => `COPY ${f} /stand/${f}`),
      ...(Object.keys(files).length ? ["RUN chmod -R 755 /stand"] : []),
      ...steps,
    ].join("\n"),
  );
  const r = sh(`DOCKER_BUILDKIT=0 docker build -q -t ${image} ${ctx}`);
  if (r.code !== 0) throw new Error(r.stderr);
}
