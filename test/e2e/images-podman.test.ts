// lab images push from Podman's image store (through its Docker-compatible API), the same test body
// as on Docker.
import { afterAll, beforeAll } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ENGINES } from "../helpers/engines.ts";
import { sh, uniqueName } from "../helpers/env.ts";
import { startRegistry, type TestRegistry } from "../helpers/registry.ts";
import { pushSuite } from "./images-push.suite.ts";

const run = uniqueName("imgp");
const home = mkdtempSync(join(tmpdir(), "lab-images-podman-"));
const env = { XDG_CACHE_HOME: join(home, "cache"), DOCKER_CONFIG: join(home, "docker"), HOME: home };
const pulled: string[] = [];
let registry: TestRegistry;

beforeAll(async () => {
  registry = await startRegistry();
});

afterAll(async () => {
  for (const image of pulled) sh(`podman rmi -f ${image}`);
  await registry?.stop();
  rmSync(home, { recursive: true, force: true });
});

pushSuite(ENGINES.podman, { registry: () => registry, run, home, env, pulled });
