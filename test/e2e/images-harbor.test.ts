// Per-project robot accounts, as Harbor gives them: the real Distribution registry behind a token
// service that grants each robot only its own project (test/helpers/project-token-server.ts).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { labAsync, sh, uniqueName } from "../helpers/env.ts";
import { errorLines } from "../helpers/lab.ts";
import { type ProjectRegistry, startProjectRegistry } from "../helpers/token-registry.ts";

const A = "robot$proja+ci";
const B = "robot$projb+ci";
const home = mkdtempSync(join(tmpdir(), "lab-harbor-"));
const image = `lab-test/${uniqueName("hb")}:1`;
let reg: ProjectRegistry;

// One blob cache for both robots, as on a CI machine that pushes for several projects.
const env = (user: string, password: string) => ({
  HOME: home,
  XDG_CACHE_HOME: join(home, "cache"),
  DOCKER_CONFIG: join(home, "docker"),
  LAB_PASSWORD: password,
  LAB_SRC_PASSWORD: "secret-a",
  LAB_DEST_PASSWORD: "secret-b",
  LAB_USER: user,
});
const push = (user: string, password: string, dest: string) =>
  labAsync(["images", "push", image, `${reg.address}/${dest}`, "--creds", user, "--insecure", "--format", "json"], {
    env: env(user, password),
  });
const errors = (stderr: string) => errorLines(stderr).filter((l) => l.includes("ERROR"));

beforeAll(async () => {
  const ctx = join(home, "ctx");
  mkdirSync(ctx);
  writeFileSync(join(ctx, "own.txt"), `${image}\n`);
  writeFileSync(join(ctx, "Dockerfile"), "FROM lab-test/linux:1\nCOPY own.txt /own.txt\n");
  const built = sh(`DOCKER_BUILDKIT=0 docker build -q -t ${image} ${ctx}`);
  if (built.code !== 0) throw new Error(built.stderr);
  reg = await startProjectRegistry({
    [A]: { password: "secret-a", projects: ["proja"] },
    [B]: { password: "secret-b", projects: ["projb"] },
  });
});

afterAll(async () => {
  sh(`docker rmi -f ${image}`);
  await reg?.stop();
  rmSync(home, { recursive: true, force: true });
});

describe("a robot account per project", () => {
  let digest = "";

  test("robot A pushes to proja/img", async () => {
    const r = await push(A, "secret-a", "proja/img:1");
    expect(errors(r.stderr)).toEqual([]);
    expect(r.code).toBe(0);
    digest = JSON.parse(r.stdout).digest;
    expect(digest).toMatch(/^sha256:/);
  });

  test("robot B pushes the same image to projb/img: every blob uploaded, none mounted from A's project", async () => {
    const r = await push(B, "secret-b", "projb/img:1");
    expect(errors(r.stderr)).toEqual([]);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { digest: string; layers: { status: string }[] };
    expect(result.digest).toBe(digest);
    expect(result.layers.map((l) => l.status)).toEqual(result.layers.map(() => "uploaded"));
  });

  test("robot B pushing to proja/other: a permission error naming the repository, exit 10", async () => {
    const r = await push(B, "secret-b", "proja/other:1");
    expect(r.code).toBe(10);
    expect(errors(r.stderr)).toEqual([expect.stringContaining(`${B} may not push to proja/other`)]);
    expect(errors(r.stderr)[0]).toContain("proja/other");
  });

  test("a wrong password: wrong credentials, exit 8", async () => {
    const r = await push(B, "not-the-secret", "projb/img:2");
    expect(r.code).toBe(8);
    expect(errors(r.stderr)).toEqual([expect.stringContaining(`rejected the credentials for ${B}`)]);
  });

  test("images copy from A's project to B's with two robots: the mount is refused, the blobs copied, the digest kept", async () => {
    const r = await labAsync(
      [
        "images",
        "copy",
        `${reg.address}/proja/img:1`,
        `${reg.address}/projb/copied:1`,
        "--src-creds",
        A,
        "--dest-creds",
        B,
        "--insecure",
        "--format",
        "json",
      ],
      { env: env(B, "secret-b") },
    );
    expect(errors(r.stderr)).toEqual([]);
    expect(r.code).toBe(0);
    const copied = JSON.parse(r.stdout) as { digest: string; blobs?: { status: string }[] };
    expect(copied.digest).toBe(digest);
    const asked = reg
      .requests()
      .filter((q) => q.user === B && q.scopes.some((s) => s.startsWith("repository:proja/img")));
    // B asked to mount from proja/img once; the token service granted nothing there.
    expect(asked.length).toBeGreaterThan(0);
  });
});
