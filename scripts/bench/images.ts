// lab images push against skopeo copy, in the same run, into fresh local registries:
//   (a) bare daemon export (GET /images/get read to the end): the floor
//   (b) skopeo copy docker-daemon: → docker:// (blob-info cache removed)
//   (c) lab images push, empty blob cache (gzip)   (d) the same with --compression none
//   (e) both tools re-pushing the unchanged image
// Prints times, ratios and lab's peak RSS; asserts nothing.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDockerClient } from "../../runtime/docker/index.ts";
import { getPlatform } from "../../runtime/platform/index.ts";

const LAB = process.env.LAB_BIN ?? "dist/lab";
const IMAGE = "lab-bench/big:1";
const work = mkdtempSync(join(tmpdir(), "lab-bench-images-"));

async function timed(cmd: string[], env: Record<string, string> = {}) {
  const t0 = performance.now();
  const proc = Bun.spawn(cmd, { stdout: "ignore", stderr: "pipe", env: { ...process.env, ...env } });
  const [code, err] = [await proc.exited, await new Response(proc.stderr).text()];
  if (code !== 0) throw new Error(`${cmd.join(" ")} failed: ${err}`);
  const usage = proc.resourceUsage();
  return { seconds: (performance.now() - t0) / 1000, rss: usage ? usage.maxRSS / 1024 / 1024 : Number.NaN };
}

async function registry(name: string) {
  const dir = join(work, name);
  const port = 20000 + Math.floor(Math.random() * 20000);
  writeFileSync(
    `${dir}.yml`,
    `version: 0.1\nlog: { level: error }\nstorage: { filesystem: { rootdirectory: ${dir} } }\nhttp: { addr: 127.0.0.1:${port} }\n`,
  );
  const proc = Bun.spawn(["docker-registry", "serve", `${dir}.yml`], { stdout: "ignore", stderr: "ignore" });
  for (let i = 0; i < 100; i++) {
    if (
      await fetch(`http://127.0.0.1:${port}/v2/`)
        .then((r) => r.ok)
        .catch(() => false)
    )
      break;
    await Bun.sleep(100);
  }
  const r = { address: `127.0.0.1:${port}`, stop: () => proc.kill() };
  registries.push(r);
  return r;
}

const docker = createDockerClient(await getPlatform());
const rows: [string, number, string][] = [];
const registries: { stop(): void }[] = [];
try {
  const size = (await docker.images.inspect(IMAGE)).Size;
  // Warm the daemon's caches the same way for every contender.
  const t0 = performance.now();
  for await (const _ of await docker.images.export([IMAGE])) {
    // read to the end
  }
  const bare = (performance.now() - t0) / 1000;
  rows.push(["(a) bare daemon export", bare, `${(size / 1e6 / bare).toFixed(0)} MB/s`]);

  rmSync("/var/lib/containers/cache", { recursive: true, force: true });
  const r1 = await registry("skopeo");
  const skopeoCold = await timed([
    "skopeo",
    "copy",
    "--quiet",
    "--dest-tls-verify=false",
    `docker-daemon:${IMAGE}`,
    `docker://${r1.address}/bench/big:1`,
  ]);
  const skopeoRe = await timed([
    "skopeo",
    "copy",
    "--quiet",
    "--dest-tls-verify=false",
    `docker-daemon:${IMAGE}`,
    `docker://${r1.address}/bench/big:1`,
  ]);
  r1.stop();

  const r2 = await registry("lab");
  const cache = { XDG_CACHE_HOME: join(work, "cache-gzip") };
  const labCold = await timed([LAB, "images", "push", IMAGE, `${r2.address}/bench/big:1`, "--insecure"], cache);
  const labRe = await timed([LAB, "images", "push", IMAGE, `${r2.address}/bench/big:1`, "--insecure"], cache);
  r2.stop();

  const r3 = await registry("lab-none");
  const labNone = await timed(
    [LAB, "images", "push", IMAGE, `${r3.address}/bench/big:1`, "--insecure", "--compression", "none"],
    {
      XDG_CACHE_HOME: join(work, "cache-none"),
    },
  );
  r3.stop();

  rows.push(["(b) skopeo copy, cold", skopeoCold.seconds, ""]);
  rows.push([
    "(c) lab push, gzip, cold",
    labCold.seconds,
    `${(labCold.seconds / skopeoCold.seconds).toFixed(2)}× skopeo, ${(labCold.seconds / bare).toFixed(2)}× bare export, peak RSS ${labCold.rss.toFixed(0)} MB`,
  ]);
  rows.push([
    "(d) lab push, --compression none",
    labNone.seconds,
    `${(labNone.seconds / bare).toFixed(2)}× bare export, peak RSS ${labNone.rss.toFixed(0)} MB`,
  ]);
  rows.push(["(e) skopeo re-push", skopeoRe.seconds, ""]);
  rows.push(["(e) lab re-push", labRe.seconds, `${(labRe.seconds / skopeoRe.seconds).toFixed(3)}× skopeo's re-push`]);
  console.log(`image ${IMAGE}: ${(size / 1e6).toFixed(0)} MB`);
  for (const [name, s, note] of rows) console.log(`${name.padEnd(34)} ${s.toFixed(2).padStart(7)} s   ${note}`);
} finally {
  for (const r of registries) r.stop();
  rmSync(work, { recursive: true, force: true });
}
