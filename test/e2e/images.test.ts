// lab images against the real Distribution registry: htpasswd Basic auth, and token auth behind a
// Harbor-like /service/token realm. Cross-checked with skopeo and the docker CLI.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startCutProxy } from "../helpers/cut-proxy.ts";
import { ENGINES } from "../helpers/engines.ts";
import { lab, labAsync, sh, uniqueName } from "../helpers/env.ts";
import { errorLines } from "../helpers/lab.ts";
import { startRegistry, type TestRegistry } from "../helpers/registry.ts";
import { startTokenRegistry, type TokenRegistry } from "../helpers/token-registry.ts";
import { pushSuite } from "./images-push.suite.ts";

const run = uniqueName("img");
const home = mkdtempSync(join(tmpdir(), "lab-images-home-"));
// Each test run gets its own blob cache and docker config.
const env = { XDG_CACHE_HOME: join(home, "cache"), DOCKER_CONFIG: join(home, "docker"), HOME: home };
let basic: TestRegistry;
let token: TokenRegistry;
const pulled: string[] = [];

beforeAll(async () => {
  basic = await startRegistry();
  token = await startTokenRegistry({ alice: "alice-pw", admin: "admin-pw", "robot$lab+ci": "robot-secret" });
});

afterAll(async () => {
  for (const image of pulled) sh(`docker rmi -f ${image}`);
  await basic?.stop();
  await token?.stop();
  rmSync(home, { recursive: true, force: true });
});

const creds = () => `${basic.username}:${basic.password}`;
const push = (src: string, dest: string, ...extra: string[]) =>
  lab(["images", "push", src, dest, "--creds", creds(), "--insecure", "--format", "json", ...extra], { env });

function skopeo(args: string, credentials: string) {
  return sh(`skopeo ${args.replace("%C", '--creds "$C"')}`, { env: { C: credentials } });
}

pushSuite(ENGINES.docker, { registry: () => basic, run, home, env, pulled });

describe("push to a registry with htpasswd auth", () => {
  const dest = () => `${basic.address}/${run}/linux:1`;

  test("OCI manifests with --format oci, and --compression none", () => {
    const r = JSON.parse(
      push("lab-test/linux:1", `${basic.address}/${run}/oci:1`, "--format", "oci,json", "--compression", "none").stdout,
    );
    expect(r.mediaType).toBe("application/vnd.oci.image.manifest.v1+json");
    const local = JSON.parse(sh("docker image inspect lab-test/linux:1").stdout)[0];
    // Uncompressed layers are stored under their diffID.
    expect(r.layers.map((l: { digest: string }) => l.digest)).toEqual(local.RootFS.Layers);
  });

  test("zstd layers with OCI media types", () => {
    const r = JSON.parse(
      push("lab-test/linux:1", `${basic.address}/${run}/zstd:1`, "--compression", "zstd", "--format", "oci,json")
        .stdout,
    );
    const manifest = JSON.parse(
      skopeo(`inspect --raw --tls-verify=false %C docker://${basic.address}/${run}/zstd:1`, creds()).stdout,
    );
    expect(manifest.layers[0].mediaType).toBe("application/vnd.oci.image.layer.v1.tar+zstd");
    expect(manifest.layers[0].digest).toBe(r.layers[0].digest);
    // skopeo reads the blob back and checks its digest.
    expect(
      skopeo(
        `copy --quiet --src-tls-verify=false --src-creds "$C" docker://${basic.address}/${run}/zstd:1 dir:${join(home, "zstd-copy")}`,
        creds(),
      ).code,
    ).toBe(0);
  });

  test("-t FILE --to pushes a lab's images and rewrites the topology", () => {
    const dir = mkdtempSync(join(home, "topo-"));
    const file = join(dir, "lab.clab.yml");
    writeFileSync(
      file,
      "name: pushme\ntopology:\n  nodes:\n    a: { image: lab-test/linux:1 } # the node\n    b: { image: lab-test/base:1 }\n",
    );
    const out = join(dir, "pushed.clab.yml");
    const r = lab(
      [
        "images",
        "push",
        "-t",
        file,
        "--to",
        `${basic.address}/${run}-proj`,
        "--rewrite",
        out,
        "--creds",
        creds(),
        "--insecure",
      ],
      { env },
    );
    expect(r.code).toBe(0);
    const text = readFileSync(out, "utf8");
    expect(text).toContain(`a: { image: ${basic.address}/${run}-proj/linux:1 } # the node`);
    expect(text).toContain(`b: { image: ${basic.address}/${run}-proj/base:1 }`);
    const tags = lab(["images", "tags", `${basic.address}/${run}-proj/base`, "--creds", creds(), "--insecure"], {
      env,
    });
    expect(tags.stdout.trim()).toBe("1");
  });

  test("catalog and tags paginate past 100 entries", async () => {
    // Make 105 repositories and 105 tags cheaply: the blobs are mounted, only manifests are new.
    const manifest = skopeo(`inspect --raw --tls-verify=false %C docker://${dest()}`, creds()).stdout;
    const mediaType = JSON.parse(manifest).mediaType;
    const auth = `Basic ${Buffer.from(creds()).toString("base64")}`;
    const { config, layers } = JSON.parse(manifest) as { config: { digest: string }; layers: { digest: string }[] };
    const base = `http://${basic.address}/v2`;
    await Promise.all(
      Array.from({ length: 105 }, async (_, i) => {
        const repo = `${run}-many/r${String(i).padStart(3, "0")}`;
        for (const d of [config.digest, ...layers.map((l) => l.digest)]) {
          await fetch(`${base}/${repo}/blobs/uploads/?mount=${d}&from=${run}/linux`, {
            method: "POST",
            headers: { authorization: auth },
          });
        }
        await fetch(`${base}/${repo}/manifests/1`, {
          method: "PUT",
          headers: { authorization: auth, "content-type": mediaType },
          body: manifest,
        });
        await fetch(`${base}/${run}/linux/manifests/t${String(i).padStart(3, "0")}`, {
          method: "PUT",
          headers: { authorization: auth, "content-type": mediaType },
          body: manifest,
        });
      }),
    );
    const ls = await labAsync(["images", "ls", basic.address, "--creds", creds(), "--insecure", "--format", "json"], {
      env,
    });
    const repos: string[] = JSON.parse(ls.stdout).repositories;
    expect(repos.filter((r) => r.startsWith(`${run}-many/`))).toHaveLength(105);
    const tags = await labAsync(
      ["images", "tags", `${basic.address}/${run}/linux`, "--creds", creds(), "--insecure", "--format", "json"],
      { env },
    );
    expect(JSON.parse(tags.stdout).tags).toHaveLength(106);
  });

  test("a connection cut in the middle of a layer resumes and lands the right digest", async () => {
    const [host, port] = basic.address.split(":");
    const proxy = await startCutProxy({ host: host as string, port: Number(port) }, 400_000);
    try {
      const r = await labAsync(
        [
          "images",
          "push",
          "lab-test/linux:1",
          `${proxy.address}/${run}/cut:1`,
          "--creds",
          creds(),
          "--insecure",
          "--format",
          "json",
        ],
        { env: { ...env, XDG_CACHE_HOME: join(home, "cache-cut") } },
      );
      expect(proxy.cuts()).toBe(1);
      expect(r.code).toBe(0);
      const result = JSON.parse(r.stdout);
      const manifest = JSON.parse(
        skopeo(`inspect --raw --tls-verify=false %C docker://${basic.address}/${run}/cut:1`, creds()).stdout,
      );
      expect(manifest.layers[0].digest).toBe(result.layers[0].digest);
      // The registry verified the digest on commit; skopeo can read the blob back.
      expect(
        skopeo(
          `copy --quiet --src-tls-verify=false --src-creds "$C" docker://${basic.address}/${run}/cut:1 dir:${join(home, "cut-copy")}`,
          creds(),
        ).code,
      ).toBe(0);
    } finally {
      await proxy.stop();
    }
  });
});

describe("bad input: one clear line, no partial manifest", () => {
  const expectOneLine = (r: ReturnType<typeof lab>, code: number, text: string) => {
    const lines = errorLines(r.stderr).filter((l) => /ERROR|\[error\]/.test(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(text);
    expect(r.code).toBe(code);
  };
  const noTag = (repo: string) => {
    const r = lab(["images", "tags", `${basic.address}/${repo}`, "--creds", creds(), "--insecure"], { env });
    expect(r.stdout).toBe("");
  };

  test("wrong password", () => {
    const r = lab(
      [
        "images",
        "push",
        "lab-test/linux:1",
        `${basic.address}/${run}/bad1:1`,
        "--creds",
        `${basic.username}:nope`,
        "--insecure",
      ],
      { env },
    );
    expectOneLine(r, 8, `${basic.address} rejected the credentials for ${basic.username}`);
    expect(r.stderr).not.toContain("nope");
  });
  test("unknown local image", () => {
    expectOneLine(
      push(`lab-test/${run}:none`, `${basic.address}/${run}/bad2:1`),
      5,
      `no such local image: lab-test/${run}:none`,
    );
    noTag(`${run}/bad2`);
  });
  test("registry down", () => {
    expectOneLine(push("lab-test/linux:1", `127.0.0.1:1/${run}/bad3:1`), 7, "cannot reach registry 127.0.0.1:1");
  });
  test("malformed reference", () => {
    expectOneLine(push("lab-test/linux:1", `${basic.address}/Bad Ref:1`), 3, "is not a valid image reference");
  });
  test("plain-HTTP registry without --insecure", () => {
    const r = lab(["images", "push", "lab-test/linux:1", `${basic.address}/${run}/bad4:1`, "--creds", creds()], {
      env,
    });
    expectOneLine(r, 3, `registry ${basic.address} speaks plain HTTP, not HTTPS. Pass --insecure`);
    noTag(`${run}/bad4`);
  });
  test("a digest destination is refused", () => {
    expectOneLine(
      push("lab-test/linux:1", `${basic.address}/${run}/bad5@sha256:${"0".repeat(64)}`),
      3,
      "cannot push to a digest reference",
    );
  });
});

describe("token auth with a Harbor-like /service/token realm", () => {
  const tok = (user: string, ...args: string[]) =>
    lab([...args, "--creds", `${user}:${token.users[user]}`, "--insecure"], { env });

  test("push, pull and list with Bearer tokens", () => {
    const dest = `${token.address}/library/${run}:1`;
    const r = tok("alice", "images", "push", "lab-test/linux:1", dest);
    expect(r.code).toBe(0);
    expect(token.requests().some((s) => s.includes(`repository:library/${run}:pull,push`))).toBe(true);
    expect(tok("alice", "images", "tags", `${token.address}/library/${run}`).stdout.trim()).toBe("1");
    expect(skopeo(`inspect --tls-verify=false %C docker://${dest}`, `alice:${token.users.alice}`).code).toBe(0);
  });

  test("a robot account with $ in its name", () => {
    const r = tok("robot$lab+ci", "images", "push", "lab-test/linux:1", `${token.address}/library/${run}-robot:1`);
    expect(r.code).toBe(0);
  });

  test("the catalog for an admin, and a clear line for an account that may not list it", () => {
    const admin = tok("admin", "images", "ls", token.address, "--format", "json");
    expect(JSON.parse(admin.stdout).repositories).toContain(`library/${run}`);
    const alice = tok("alice", "images", "ls", token.address);
    // Right credentials, no right to list: a permission error (10), not a credentials one (8).
    expect(alice.code).toBe(10);
    expect(alice.stderr).toContain(`${token.address} refuses to list its repositories to this account`);
  });

  test("a denied repository is one clear line and no manifest", () => {
    const r = tok("alice", "images", "push", "lab-test/linux:1", `${token.address}/denied/${run}:1`);
    const lines = errorLines(r.stderr).filter((l) => /ERROR|\[error\]/.test(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`alice may not push to denied/${run}: authentication required`);
    expect(r.code).toBe(10);
    const tags = tok("admin", "images", "tags", `${token.address}/denied/${run}`);
    expect(tags.stdout).toBe("");
  });

  test("lab images login checks the password and stores it; logout forgets it", () => {
    const bad = lab(["images", "login", token.address, "-u", "alice", "--password-stdin", "--insecure"], {
      env,
      input: "wrong\n",
    });
    expect(bad.code).toBe(8);
    const good = lab(["images", "login", token.address, "-u", "alice", "--password-stdin", "--insecure"], {
      env,
      input: `${token.users.alice}\n`,
    });
    expect(good.code).toBe(0);
    const config = JSON.parse(readFileSync(join(env.DOCKER_CONFIG, "config.json"), "utf8"));
    expect(Buffer.from(config.auths[token.address].auth, "base64").toString()).toBe(`alice:${token.users.alice}`);
    // Stored credentials are used without --creds.
    const tags = lab(["images", "tags", `${token.address}/library/${run}`, "--insecure"], { env });
    expect(tags.stdout.trim()).toBe("1");
    expect(lab(["images", "logout", token.address], { env }).code).toBe(0);
    expect(
      JSON.parse(readFileSync(join(env.DOCKER_CONFIG, "config.json"), "utf8")).auths[token.address],
    ).toBeUndefined();
  });
});
