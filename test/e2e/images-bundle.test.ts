// Air-gapped bundles (lab images save/load), registry-to-registry copy and sync, and rm, against real
// Distribution registries (htpasswd and token auth), cross-checked with docker load, skopeo and
// docker pull.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lab, sh, uniqueName } from "../helpers/env.ts";
import { errorLines, freeSubnet } from "../helpers/lab.ts";
import { startRegistry, type TestRegistry } from "../helpers/registry.ts";
import { startTokenRegistry, type TokenRegistry } from "../helpers/token-registry.ts";

const run = uniqueName("bdl");
const home = mkdtempSync(join(tmpdir(), "lab-bundle-"));
const env = { XDG_CACHE_HOME: join(home, "cache"), DOCKER_CONFIG: join(home, "docker"), HOME: home };
const images = ["bx", "by", "bz"].map((n) => `lab-test/${run}-${n}:1`);
const ids: Record<string, string> = {};
let reg: TestRegistry;
let other: TestRegistry;
let token: TokenRegistry;
let mounted: string | undefined;
const pulled: string[] = [];

const labDir = join(home, "lab");
const topo = join(labDir, "lab.clab.yml");

beforeAll(async () => {
  // Three images on lab-test/linux:1: they share its layer, each adds one of its own.
  for (const [i, image] of images.entries()) {
    const ctx = join(home, `ctx${i}`);
    mkdirSync(ctx);
    writeFileSync(join(ctx, "own.txt"), `image ${i} ${run}\n`);
    writeFileSync(join(ctx, "Dockerfile"), "FROM lab-test/linux:1\nCOPY own.txt /own.txt\n");
    const r = sh(`DOCKER_BUILDKIT=0 docker build -q -t ${image} ${ctx}`);
    if (r.code !== 0) throw new Error(r.stderr);
    ids[image] = JSON.parse(sh(`docker image inspect ${image}`).stdout)[0].Id;
  }
  mkdirSync(join(labDir, "files"), { recursive: true });
  writeFileSync(join(labDir, "files", "hello.txt"), "hello from the bundle\n");
  const subnet = freeSubnet();
  writeFileSync(
    topo,
    `name: ${run}
mgmt: { network: ${run}, ipv4-subnet: ${subnet.v4} }
topology:
  defaults: { kind: linux }
  nodes:
    n1: { image: ${images[0]}, binds: [files/hello.txt:/hello.txt:ro] }
    n2: { image: ${images[1]} }
    n3: { image: ${images[2]} }
  links:
    - endpoints: [n1:eth1, n2:eth1]
`,
  );
  [reg, other, token] = await Promise.all([
    startRegistry(),
    startRegistry({ username: "otheruser", password: "other-pw" }),
    startTokenRegistry({ alice: "alice-pw" }),
  ]);
});

afterAll(async () => {
  lab(["down", "-t", join(home, "out", "lab.clab.yml"), "--cleanup"], { env });
  if (mounted) sh(`umount ${mounted}`);
  for (const image of [...images, ...pulled]) sh(`docker rmi -f ${image}`);
  await Promise.all([reg?.stop(), other?.stop(), token?.stop()]);
  rmSync(home, { recursive: true, force: true });
});

/** The CLI's error lines (progress lines before them are not errors). */
const errors = (stderr: string) => errorLines(stderr).filter((l) => l.includes("ERROR"));
/** Source creds for `reg`, destination creds for `other`, both over plain HTTP. */
const regToOther = () => [
  "--src-creds",
  `${reg.username}:${reg.password}`,
  "--dest-creds",
  `${other.username}:${other.password}`,
  "--insecure",
];
const regArgs = (r: TestRegistry) => ["--creds", `${r.username}:${r.password}`, "--insecure"];
const skopeo = (args: string, creds: string) =>
  sh(`skopeo ${args} --tls-verify=false --creds "$C"`, { env: { C: creds } });
const bundle = join(home, "lab-bundle.tar");

describe("lab images save", () => {
  test("writes every image of the lab, a shared layer once, and the lab's files", () => {
    const r = lab(["images", "save", "-t", topo, "-o", bundle, "--format", "json"], { env });
    expect(r.stderr).not.toContain("ERROR");
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.images.map((i: { ref: string }) => i.ref).sort()).toEqual([...images].sort());
    const entries = sh(`tar -tf ${bundle}`).stdout.trim().split("\n");
    expect(entries).toContain("oci-layout");
    expect(entries).toContain("index.json");
    expect(entries).toContain("manifest.json");
    const blobs = entries.filter((e) => e.startsWith("blobs/sha256/"));
    expect(new Set(blobs).size).toBe(blobs.length);
    // The shared base layer's blob is there once although three images use it.
    const base = JSON.parse(sh("docker image inspect lab-test/linux:1").stdout)[0].RootFS.Layers[0] as string;
    expect(blobs.filter((b) => b === `blobs/sha256/${base.slice(7)}`)).toHaveLength(1);
    expect(entries.some((e) => e.endsWith("lab.clab.yml"))).toBe(true);
    expect(entries.some((e) => e.endsWith("files/hello.txt"))).toBe(true);
    expect(existsSync(`${bundle}.partial`)).toBe(false);
  });

  test("docker load -i reads the bundle and restores all three images", () => {
    sh(`docker rmi -f ${images.join(" ")}`);
    const r = sh(`docker load -i ${bundle}`);
    expect(r.code).toBe(0);
    for (const image of images) expect(JSON.parse(sh(`docker image inspect ${image}`).stdout)[0].Id).toBe(ids[image]);
  });

  test("lab images load + lab up of the unpacked topology on a host without the images", () => {
    sh(`docker rmi -f ${images.join(" ")}`);
    const out = join(home, "out");
    const r = lab(["images", "load", "-i", bundle, "-C", out, "--format", "json"], { env });
    expect(r.stderr).not.toContain("ERROR");
    expect(r.code).toBe(0);
    for (const image of images) expect(JSON.parse(sh(`docker image inspect ${image}`).stdout)[0].Id).toBe(ids[image]);
    expect(readFileSync(join(out, "files", "hello.txt"), "utf8")).toBe("hello from the bundle\n");
    const up = lab(["up", "-t", join(out, "lab.clab.yml")], { env });
    expect(up.stderr).not.toContain("ERROR");
    expect(up.code).toBe(0);
    expect(lab(["exec", "-t", join(out, "lab.clab.yml"), "--node", "n1", "--cmd", "cat /hello.txt"]).stderr).toContain(
      "hello from the bundle",
    );
    expect(lab(["down", "-t", join(out, "lab.clab.yml"), "--cleanup"]).code).toBe(0);
  });

  test("load --to pushes from the bundle; docker pulls and runs it; skopeo agrees on digests", () => {
    const project = `${reg.address}/${run}`;
    const rewritten = join(home, "rewritten.clab.yml");
    const r = lab(
      [
        "images",
        "load",
        "-i",
        bundle,
        "-C",
        join(home, "pushed"),
        "--to",
        project,
        "--rewrite",
        rewritten,
        ...regArgs(reg),
        "--format",
        "json",
      ],
      {
        env,
      },
    );
    expect(r.stderr).not.toContain("ERROR");
    expect(r.code).toBe(0);
    const results = JSON.parse(r.stdout).pushed as { reference: string; digest: string }[];
    expect(results).toHaveLength(3);
    for (const res of results) {
      const raw = skopeo(`inspect --raw docker://${res.reference}`, `${reg.username}:${reg.password}`);
      expect(raw.code).toBe(0);
      expect(`sha256:${new Bun.CryptoHasher("sha256").update(raw.stdout).digest("hex")}`).toBe(res.digest);
    }
    expect(readFileSync(rewritten, "utf8")).toContain(`${project}/${run}-bx:1`);
    // The unpacked lab points at the registry too.
    expect(readFileSync(join(home, "pushed", "lab.clab.yml"), "utf8")).toContain(`${project}/${run}-bz:1`);
    const cfg = join(home, "pullcfg");
    mkdirSync(cfg, { recursive: true });
    const auth = Buffer.from(`${reg.username}:${reg.password}`).toString("base64");
    writeFileSync(join(cfg, "config.json"), JSON.stringify({ auths: { [reg.address]: { auth } } }));
    const ref = `${project}/${run}-by:1`;
    pulled.push(ref);
    expect(sh(`DOCKER_CONFIG=${cfg} docker pull -q ${ref}`).code).toBe(0);
    expect(sh(`docker run --rm ${ref} cat /own.txt`).stdout).toBe(`image 1 ${run}\n`);
    // A second load skips every blob the registry already has.
    const again = JSON.parse(
      lab(
        [
          "images",
          "load",
          "-i",
          bundle,
          "-C",
          join(home, "pushed"),
          "--to",
          project,
          ...regArgs(reg),
          "--format",
          "json",
        ],
        {
          env,
        },
      ).stdout,
    ).pushed as { layers: { status: string }[] }[];
    expect(again.flatMap((i) => i.layers).every((l) => l.status !== "uploaded")).toBe(true);
  });
});

describe("broken bundles and full disks", () => {
  const project = () => `${reg.address}/${run}-broken`;
  const noTags = (repo: string) =>
    lab(["images", "tags", `${project()}/${repo}`, ...regArgs(reg), "--format", "json"], { env });

  test("a truncated bundle: one line, nothing pushed", () => {
    const cut = join(home, "cut.tar");
    const size = Number(sh(`stat -c %s ${bundle}`).stdout);
    sh(`head -c ${Math.floor(size / 2)} ${bundle} > ${cut}`);
    const r = lab(["images", "load", "-i", cut, "-C", join(home, "no"), "--to", project(), ...regArgs(reg)], { env });
    expect(r.code).not.toBe(0);
    expect(errors(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/truncated|incomplete|ends/i);
    expect(noTags(`${run}-bx`).code).not.toBe(0);
  });

  test("a corrupt layer (digest mismatch): one line naming the damage, nothing pushed", () => {
    const dir = join(home, "corrupt");
    mkdirSync(dir);
    sh(`tar -C ${dir} -xf ${bundle}`);
    const ownLayer = JSON.parse(sh(`docker image inspect ${images[2]}`).stdout)[0]
      .RootFS.Layers.at(-1)
      .slice(7);
    const path = join(dir, "blobs", "sha256", ownLayer);
    const bytes = readFileSync(path);
    bytes[600] = (bytes[600] as number) ^ 0xff;
    writeFileSync(path, bytes);
    const bad = join(home, "corrupt.tar");
    sh(`tar -C ${dir} -cf ${bad} .`);
    const r = lab(["images", "load", "-i", bad, "-C", join(home, "no"), "--to", project(), ...regArgs(reg)], { env });
    expect(r.code).not.toBe(0);
    expect(errors(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/damaged|digest/i);
    expect(noTags(`${run}-bz`).code).not.toBe(0);
  });

  test("a bundle missing an image its lab uses: one line", () => {
    const dir = join(home, "missing");
    mkdirSync(dir);
    sh(`tar -C ${dir} -xf ${bundle}`);
    const index = JSON.parse(readFileSync(join(dir, "index.json"), "utf8"));
    index.manifests = index.manifests.filter(
      (m: { annotations?: Record<string, string> }) => !m.annotations?.["io.containerd.image.name"]?.includes("-by:"),
    );
    writeFileSync(join(dir, "index.json"), JSON.stringify(index));
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
    writeFileSync(
      join(dir, "manifest.json"),
      JSON.stringify(manifest.filter((m: { RepoTags: string[] }) => !m.RepoTags.some((t) => t.includes("-by:")))),
    );
    const bad = join(home, "missing.tar");
    sh(`tar -C ${dir} -cf ${bad} .`);
    const r = lab(["images", "load", "-i", bad, "-C", join(home, "no")], { env });
    expect(r.code).not.toBe(0);
    expect(errors(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain(`${run}-by:1`);
  });

  test("a full disk while saving: one line, no partial bundle left", () => {
    const small = join(home, "small");
    mkdirSync(small);
    expect(sh(`mount -t tmpfs -o size=512k lab-test-full ${small}`).code).toBe(0);
    mounted = small;
    const r = lab(["images", "save", "-t", topo, "-o", join(small, "b.tar")], { env });
    expect(r.code).not.toBe(0);
    expect(errors(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/space|full/i);
    expect(readdirSync(small)).toEqual([]);
    sh(`umount ${small}`);
    mounted = undefined;
  });
});

/** A two-platform index made of two single images pushed by digest (a registry does not check platforms). */
async function pushIndex(r: TestRegistry, repo: string): Promise<{ digest: string; children: string[] }> {
  const children: { digest: string; size: number; platform: { os: string; architecture: string } }[] = [];
  for (const [i, arch] of ["amd64", "arm64"].entries()) {
    const out = lab(
      ["images", "push", images[i] as string, `${r.address}/${repo}:${arch}`, ...regArgs(r), "--format", "json"],
      {
        env,
      },
    );
    if (out.code !== 0) throw new Error(out.stderr);
    const res = JSON.parse(out.stdout);
    const raw = skopeo(`inspect --raw docker://${r.address}/${repo}:${arch}`, `${r.username}:${r.password}`).stdout;
    children.push({ digest: res.digest, size: Buffer.byteLength(raw), platform: { os: "linux", architecture: arch } });
  }
  const type = "application/vnd.docker.distribution.manifest.list.v2+json";
  const body = JSON.stringify({
    schemaVersion: 2,
    mediaType: type,
    manifests: children.map((c) => ({ mediaType: "application/vnd.docker.distribution.manifest.v2+json", ...c })),
  });
  const res = await fetch(`http://${r.address}/v2/${repo}/manifests/multi`, {
    method: "PUT",
    headers: {
      "content-type": type,
      authorization: `Basic ${Buffer.from(`${r.username}:${r.password}`).toString("base64")}`,
    },
    body,
  });
  if (res.status !== 201) throw new Error(`index push: HTTP ${res.status} ${await res.text()}`);
  return {
    digest: `sha256:${new Bun.CryptoHasher("sha256").update(body).digest("hex")}`,
    children: children.map((c) => c.digest),
  };
}

describe("lab images copy, sync and rm", () => {
  const src = () => `${reg.address}/${run}/copy-src:1`;

  test("between two registries with their own credentials; skopeo agrees", () => {
    lab(["images", "push", images[0] as string, src(), ...regArgs(reg)], { env });
    const dest = `docker://${other.address}/${run}/copied:1`;
    const r = lab(["images", "copy", `docker://${src()}`, dest, ...regToOther(), "--format", "json"], { env });
    expect(r.stderr).not.toContain("ERROR");
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.blobs.every((b: { status: string }) => b.status === "copied")).toBe(true);
    const theirs = skopeo(`inspect docker://${other.address}/${run}/copied:1`, `${other.username}:${other.password}`);
    expect(JSON.parse(theirs.stdout).Digest).toBe(result.digest);
  });

  test("to a token-auth registry; wrong source credentials are one line without the password", () => {
    const good = lab(
      [
        "images",
        "copy",
        src(),
        `${token.address}/${run}/copied:1`,
        "--src-creds",
        `${reg.username}:${reg.password}`,
        "--dest-creds",
        "alice:alice-pw",
        "--insecure",
      ],
      { env },
    );
    expect(good.stderr).not.toContain("ERROR");
    expect(good.code).toBe(0);
    const bad = lab(
      ["images", "copy", src(), `${other.address}/${run}/x:1`, "--src-creds", "labuser:wrong", "--insecure"],
      {
        env,
      },
    );
    expect(bad.code).toBe(8);
    expect(errors(bad.stderr)).toHaveLength(1);
    expect(bad.stderr).not.toContain("wrong");
  });

  test("within one registry every blob is mounted, none re-uploaded", () => {
    const r = lab(["images", "copy", src(), `${reg.address}/${run}/mounted:1`, ...regArgs(reg), "--format", "json"], {
      env,
    });
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.blobs.length).toBeGreaterThan(1);
    expect(result.blobs.every((b: { status: string }) => b.status === "mounted")).toBe(true);
    expect(result.bytes).toBe(0);
  });

  test("a multi-arch index copied whole keeps its digest; --platform picks one", async () => {
    const index = await pushIndex(reg, `${run}/multi`);
    const creds = [
      "--src-creds",
      `${reg.username}:${reg.password}`,
      "--dest-creds",
      `${other.username}:${other.password}`,
    ];
    const whole = lab(
      [
        "images",
        "copy",
        `${reg.address}/${run}/multi:multi`,
        `${other.address}/${run}/multi:1`,
        "--all",
        ...creds,
        "--insecure",
        "--format",
        "json",
      ],
      { env },
    );
    expect(whole.stderr).not.toContain("ERROR");
    const result = JSON.parse(whole.stdout);
    expect(result.digest).toBe(index.digest);
    expect(result.manifests).toBe(2);
    const raw = skopeo(
      `inspect --raw docker://${other.address}/${run}/multi:1`,
      `${other.username}:${other.password}`,
    ).stdout;
    expect(`sha256:${new Bun.CryptoHasher("sha256").update(raw).digest("hex")}`).toBe(index.digest);
    const one = JSON.parse(
      lab(
        [
          "images",
          "copy",
          `${reg.address}/${run}/multi:multi`,
          `${other.address}/${run}/arm:1`,
          "--platform",
          "linux/arm64",
          ...creds,
          "--insecure",
          "--format",
          "json",
        ],
        { env },
      ).stdout,
    );
    expect(one.digest).toBe(index.children[1]);
    const none = lab(
      [
        "images",
        "copy",
        `${reg.address}/${run}/multi:multi`,
        `${other.address}/${run}/s390:1`,
        "--platform",
        "linux/s390x",
        ...creds,
        "--insecure",
      ],
      { env },
    );
    expect(none.code).toBe(5);
    expect(none.stderr).toContain("linux/arm64");
  });

  test("sync mirrors every registry image of a lab", () => {
    const project = `${reg.address}/${run}-syncsrc`;
    const synced = join(home, "syncsrc", "lab.clab.yml");
    const pushed = lab(
      ["images", "load", "-i", bundle, "-C", join(home, "syncsrc"), "--to", project, ...regArgs(reg)],
      {
        env,
      },
    );
    expect(pushed.code).toBe(0);
    const r = lab(
      ["images", "sync", "-t", synced, "--to", `${other.address}/mirror`, ...regToOther(), "--format", "json"],
      { env },
    );
    expect(r.stderr).not.toContain("ERROR");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(3);
    const tags = lab(["images", "tags", `${other.address}/mirror/${run}-bz`, ...regArgs(other)], { env });
    expect(tags.stdout.trim()).toBe("1");
  });

  test("rm asks unless -y, then the tag is gone from tags; a registry that refuses says how to enable it", () => {
    const ref = `${reg.address}/${run}/mounted:1`;
    const ask = lab(["images", "rm", ref, ...regArgs(reg)], { env });
    expect(ask.code).toBe(2);
    expect(ask.stderr).toContain("-y");
    const r = lab(["images", "rm", ref, "-y", ...regArgs(reg), "--format", "json"], { env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).digest).toMatch(/^sha256:/);
    const tags = lab(["images", "tags", `${reg.address}/${run}/mounted`, ...regArgs(reg), "--format", "json"], { env });
    expect(JSON.parse(tags.stdout).tags ?? []).not.toContain("1");
    const gone = lab(["images", "rm", ref, "-y", ...regArgs(reg)], { env });
    expect(gone.code).toBe(5);
    expect(errors(gone.stderr)).toHaveLength(1);
  });
});

describe("lab images ls without a registry", () => {
  test("lists every local image, and --lab narrows to the ones labs use", () => {
    const all = JSON.parse(lab(["images", "ls", "--format", "json"], { env }).stdout) as {
      repository: string;
      labs: string[];
    }[];
    expect(all.some((i) => i.repository === "lab-test/linux")).toBe(true);
    const used = JSON.parse(lab(["images", "ls", "--lab", "-t", topo, "--format", "json"], { env }).stdout) as {
      repository: string;
      labs: string[];
    }[];
    // Labs deployed on this engine count too (another test's, a user's): the topology's own are these.
    const ours = used.filter((i) => i.labs.includes(run));
    expect(ours.map((i) => i.repository).sort()).toEqual(images.map((i) => i.split(":")[0] as string).sort());
    expect(used.every((i) => i.labs.length > 0)).toBe(true);
  });
});
