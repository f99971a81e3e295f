// lab images push from an engine's image store into a real Distribution registry, checked with
// skopeo and by pulling and running the result with the engine's own CLI: one body, run per engine
// (images.test.ts on Docker, images-podman.test.ts on Podman).
import { describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TestEngine } from "../helpers/engines.ts";
import { lab, sh } from "../helpers/env.ts";
import type { TestRegistry } from "../helpers/registry.ts";

export interface PushContext {
  registry: () => TestRegistry;
  /** Repository prefix unique to this run. */
  run: string;
  /** A temp home for pull credentials. */
  home: string;
  env: Record<string, string>;
  /** Pulled references, for the caller to remove. */
  pulled: string[];
}

const sha = (id: string) => (id.startsWith("sha256:") ? id : `sha256:${id}`);

export function pushSuite(engine: TestEngine, ctx: PushContext) {
  const { cli } = engine;
  const creds = () => `${ctx.registry().username}:${ctx.registry().password}`;
  const dest = () => `${ctx.registry().address}/${ctx.run}/linux:1`;
  const push = (src: string, to: string, ...extra: string[]) =>
    lab(["images", "push", src, to, "--creds", creds(), "--insecure", "--format", "json", ...extra], {
      env: { ...ctx.env, ...engine.env },
    });
  const skopeo = (args: string) => sh(`skopeo ${args} --tls-verify=false --creds "$C"`, { env: { C: creds() } });
  const local = () => JSON.parse(sh(`${cli} image inspect lab-test/linux:1`).stdout)[0];

  describe(`push from ${engine.name}'s image store`, () => {
    test(`pushes, prints the digest, and ${cli} pulls and runs the result`, () => {
      const r = push("lab-test/linux:1", dest());
      expect(r.stderr).not.toContain("ERROR");
      expect(r.code).toBe(0);
      const result = JSON.parse(r.stdout);
      expect(result.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
      expect(result.exported).toBe(true);
      expect(result.layers.every((l: { status: string }) => l.status === "uploaded")).toBe(true);
      const cfg = mkdtempSync(join(ctx.home, "dcfg-"));
      const auth = Buffer.from(creds()).toString("base64");
      writeFileSync(join(cfg, "config.json"), JSON.stringify({ auths: { [ctx.registry().address]: { auth } } }));
      ctx.pulled.push(dest());
      sh(`${cli} rmi -f ${dest()}`);
      expect(sh(engine.pull(dest(), cfg)).code).toBe(0);
      expect(sh(`${cli} run --rm ${dest()} cat /var/www/index.html`).stdout).toBe("lab test node\n");
    });

    test("skopeo agrees on layers and config", () => {
      const ours = JSON.parse(push("lab-test/linux:1", dest()).stdout);
      const manifest = JSON.parse(skopeo(`inspect --raw docker://${dest()}`).stdout);
      expect(manifest.layers.map((l: { digest: string }) => l.digest)).toEqual(
        ours.layers.map((l: { digest: string }) => l.digest),
      );
      const config = JSON.parse(skopeo(`inspect --config docker://${dest()}`).stdout);
      expect(config.rootfs.diff_ids).toEqual(local().RootFS.Layers);
      expect(manifest.config.digest).toBe(sha(local().Id));
    });

    test("a re-push skips every blob and exports nothing", () => {
      const r = JSON.parse(push("lab-test/linux:1", dest()).stdout);
      expect(r.exported).toBe(false);
      expect(r.layers.map((l: { status: string }) => l.status)).toEqual(["skipped"]);
    });
  });
}
