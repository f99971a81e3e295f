// lab images push against skopeo copy, in the same run, into fresh local registries:
//   (a) bare daemon export (GET /images/get read to the end): the engine's floor
//   (f) the export piped by curl into one registry PATCH: no parsing, hashing or compression, the
//       floor of any push on this machine (the registry shares its cores with the daemon)
//   (b) skopeo copy docker-daemon: → docker:// (blob-info cache removed)
//   (c) lab images push, empty blob cache (gzip)   (d) the same with --compression none
//   (e) both tools re-pushing the unchanged image
//   (h) lab images save of the image to a bundle vs docker save to a tar (same disk)
//   (i) lab images copy registry→registry vs skopeo copy docker:// docker:// (fresh destination)
// Every lab row prints lab's own CPU seconds per GB of image.
// Cold runs are interleaved and repeated (BENCH_RUNS, default 3); medians are printed, with lab's
// CPU time and peak RSS. Registries keep their storage on tmpfs when /dev/shm has room, so that
// their writes do not queue behind the daemon's own temp-dir export on the same disk (a real
// Harbor is another machine). Asserts nothing.
import { mkdtempSync, rmSync, statfsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDockerClient } from "../../runtime/docker/index.ts";
import { getPlatform } from "../../runtime/platform/index.ts";

const LAB = process.env.LAB_BIN ?? "dist/lab";
const IMAGE = "lab-bench/big:1";
const IMAGE2 = "lab-bench/big2:1";
const RUNS = Math.max(1, Math.min(9, Number(process.env.BENCH_RUNS ?? 3)));

const shmFree = (() => {
  try {
    const s = statfsSync("/dev/shm");
    return s.bavail * s.bsize;
  } catch {
    return 0;
  }
})();
const work = mkdtempSync(join(shmFree > 8e9 ? "/dev/shm" : tmpdir(), "lab-bench-images-"));

interface Run {
  seconds: number;
  cpu: number;
  rss: number;
}

async function timed(cmd: string[], env: Record<string, string> = {}): Promise<Run> {
  const t0 = performance.now();
  const proc = Bun.spawn(cmd, { stdout: "ignore", stderr: "pipe", env: { ...process.env, ...env } });
  const [code, err] = [await proc.exited, await new Response(proc.stderr).text()];
  if (code !== 0) throw new Error(`${cmd.join(" ")} failed: ${err}`);
  const u = proc.resourceUsage();
  return {
    seconds: (performance.now() - t0) / 1000,
    cpu: u ? Number(u.cpuTime.user + u.cpuTime.system) / 1e6 : Number.NaN,
    rss: u ? u.maxRSS / 1024 / 1024 : Number.NaN,
  };
}

const registries: { stop(): void }[] = [];
let serial = 0;

async function registry() {
  const dir = join(work, `registry-${++serial}`);
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
  const r = {
    address: `127.0.0.1:${port}`,
    stop: () => {
      proc.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  registries.push(r);
  return r;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const summary = (runs: Run[]) => ({
  seconds: median(runs.map((r) => r.seconds)),
  cpu: median(runs.map((r) => r.cpu)),
  rss: Math.max(...runs.map((r) => r.rss)),
  spread: `${Math.min(...runs.map((r) => r.seconds)).toFixed(2)}–${Math.max(...runs.map((r) => r.seconds)).toFixed(2)} s`,
});

const docker = createDockerClient(await getPlatform());
const platform = await getPlatform();
try {
  const size = (await docker.images.inspect(IMAGE)).Size;
  const bare: Run[] = [];
  const piped: Run[] = [];
  const skopeo: Run[] = [];
  const gzip: Run[] = [];
  const none: Run[] = [];
  const saveLab: Run[] = [];
  const saveDocker: Run[] = [];
  const copyLab: Run[] = [];
  const copySkopeo: Run[] = [];
  let skopeoRe: Run | undefined;
  let labRe: Run | undefined;
  const socket = platform.env("DOCKER_HOST")?.replace(/^unix:\/\//, "") ?? "/var/run/docker.sock";

  for (let run = 0; run < RUNS; run++) {
    const t0 = performance.now();
    for await (const _ of await docker.images.export([IMAGE])) {
      // read to the end
    }
    bare.push({ seconds: (performance.now() - t0) / 1000, cpu: Number.NaN, rss: Number.NaN });

    {
      const r = await registry();
      const post = await fetch(`http://${r.address}/v2/bench/floor/blobs/uploads/`, { method: "POST" });
      const location = new URL(post.headers.get("location") as string, `http://${r.address}`).toString();
      piped.push(
        await timed([
          "sh",
          "-c",
          `curl -fsS --unix-socket "$1" "http://docker/images/get?names=$2" | curl -fsS -o /dev/null -X PATCH -H 'content-type: application/octet-stream' -T - "$3"`,
          "sh",
          socket,
          IMAGE,
          location,
        ]),
      );
      r.stop();
    }

    {
      rmSync("/var/lib/containers/cache", { recursive: true, force: true });
      const r = await registry();
      const args = ["skopeo", "copy", "--quiet", "--dest-tls-verify=false", `docker-daemon:${IMAGE}`];
      skopeo.push(await timed([...args, `docker://${r.address}/bench/big:1`]));
      if (run === 0) skopeoRe = await timed([...args, `docker://${r.address}/bench/big:1`]);
      r.stop();
    }

    {
      const r = await registry();
      const env = { XDG_CACHE_HOME: join(work, `cache-gzip-${run}`) };
      const args = [LAB, "images", "push", IMAGE, `${r.address}/bench/big:1`, "--insecure"];
      gzip.push(await timed(args, env));
      if (run === 0) labRe = await timed(args, env);
      r.stop();
    }

    {
      const r = await registry();
      const env = { XDG_CACHE_HOME: join(work, `cache-none-${run}`) };
      none.push(
        await timed(
          [LAB, "images", "push", IMAGE, `${r.address}/bench/big:1`, "--insecure", "--compression", "none"],
          env,
        ),
      );
      r.stop();
    }
  }

  // Bundles and registry-to-registry copies, interleaved the same way. Files go to the temp dir
  // (a disk, as a real bundle would), not to tmpfs.
  const out = mkdtempSync(join(tmpdir(), "lab-bench-save-"));
  const source = await registry();
  await timed([LAB, "images", "push", IMAGE, `${source.address}/bench/big:1`, "--insecure", "--compression", "none"], {
    XDG_CACHE_HOME: join(work, "cache-source"),
  });
  try {
    for (let run = 0; run < RUNS; run++) {
      saveDocker.push(await timed(["docker", "save", "-o", join(out, "docker.tar"), IMAGE]));
      rmSync(join(out, "docker.tar"), { force: true });
      saveLab.push(await timed([LAB, "images", "save", IMAGE, "-o", join(out, "lab.tar")]));
      rmSync(join(out, "lab.tar"), { force: true });
      {
        const r = await registry();
        const args = ["skopeo", "copy", "--quiet", "--src-tls-verify=false", "--dest-tls-verify=false"];
        rmSync("/var/lib/containers/cache", { recursive: true, force: true });
        copySkopeo.push(
          await timed([...args, `docker://${source.address}/bench/big:1`, `docker://${r.address}/bench/big:1`]),
        );
        r.stop();
      }
      {
        const r = await registry();
        copyLab.push(
          await timed([
            LAB,
            "images",
            "copy",
            `${source.address}/bench/big:1`,
            `${r.address}/bench/big:1`,
            "--insecure",
          ]),
        );
        r.stop();
      }
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }

  // Peak RSS must not follow the image: the same push of an image twice as big, once.
  let twice: Run | undefined;
  if (await docker.images.find(IMAGE2)) {
    const r = await registry();
    twice = await timed([LAB, "images", "push", IMAGE2, `${r.address}/bench/big2:1`, "--insecure"], {
      XDG_CACHE_HOME: join(work, "cache-big2"),
    });
    r.stop();
  }

  const a = summary(bare);
  const f = summary(piped);
  const b = summary(skopeo);
  const c = summary(gzip);
  const d = summary(none);
  const x = (n: number, of: number) => `${(n / of).toFixed(2)}×`;
  const perGB = (cpu: number) => `${(cpu / (size / 1e9)).toFixed(2)} CPU-s/GB`;
  const h = summary(saveLab);
  const hd = summary(saveDocker);
  const i = summary(copyLab);
  const is = summary(copySkopeo);
  const rows: [string, number, string][] = [
    ["(a) bare daemon export", a.seconds, `${(size / 1e6 / a.seconds).toFixed(0)} MB/s (${a.spread})`],
    ["(f) export | curl PATCH (push floor)", f.seconds, `${x(f.seconds, a.seconds)} bare export (${f.spread})`],
    ["(b) skopeo copy, cold", b.seconds, `CPU ${b.cpu.toFixed(1)} s, peak RSS ${b.rss.toFixed(0)} MB (${b.spread})`],
    [
      "(c) lab push, gzip, cold",
      c.seconds,
      `${x(c.seconds, b.seconds)} skopeo, ${x(c.seconds, a.seconds)} bare export, ${x(c.seconds, f.seconds)} push floor; CPU ${c.cpu.toFixed(1)} s = ${perGB(c.cpu)}, peak RSS ${c.rss.toFixed(0)} MB (${c.spread})`,
    ],
    [
      "(d) lab push, --compression none",
      d.seconds,
      `${x(d.seconds, a.seconds)} bare export, ${x(d.seconds, f.seconds)} push floor; CPU ${d.cpu.toFixed(1)} s = ${perGB(d.cpu)}, peak RSS ${d.rss.toFixed(0)} MB (${d.spread})`,
    ],
    [
      "(g) lab push, gzip, image twice as big",
      twice?.seconds ?? Number.NaN,
      twice ? `peak RSS ${twice.rss.toFixed(0)} MB (${c.rss.toFixed(0)} MB for ${IMAGE})` : `${IMAGE2} not built`,
    ],
    ["(h) docker save", hd.seconds, `CPU ${hd.cpu.toFixed(1)} s (${hd.spread})`],
    [
      "(h) lab images save",
      h.seconds,
      `${x(h.seconds, hd.seconds)} docker save; CPU ${h.cpu.toFixed(1)} s = ${perGB(h.cpu)}, peak RSS ${h.rss.toFixed(0)} MB (${h.spread})`,
    ],
    [
      "(i) skopeo copy docker:// docker://",
      is.seconds,
      `CPU ${is.cpu.toFixed(1)} s, peak RSS ${is.rss.toFixed(0)} MB (${is.spread})`,
    ],
    [
      "(i) lab images copy",
      i.seconds,
      `${x(i.seconds, is.seconds)} skopeo; CPU ${i.cpu.toFixed(1)} s = ${perGB(i.cpu)}, peak RSS ${i.rss.toFixed(0)} MB (${i.spread})`,
    ],
    ["(e) skopeo re-push", skopeoRe?.seconds ?? Number.NaN, ""],
    [
      "(e) lab re-push",
      labRe?.seconds ?? Number.NaN,
      `${x(labRe?.seconds ?? Number.NaN, skopeoRe?.seconds ?? Number.NaN)} skopeo's re-push`,
    ],
  ];
  console.log(
    `image ${IMAGE}: ${(size / 1e6).toFixed(0)} MB; medians of ${RUNS} interleaved cold runs; registry storage in ${work.startsWith("/dev/shm") ? "tmpfs" : "the temp dir"}`,
  );
  for (const [name, s, note] of rows) console.log(`${name.padEnd(38)} ${s.toFixed(2).padStart(7)} s   ${note}`);
  // The targets, one line each for make bench's table. Those marked "was" are corrected: the
  // measurement that shows why is in the README's Performance section. The ratio to skopeo is shown
  // above but is no target: skopeo's own time moves by 20 % from run to run, the push floor (f) not.
  const gb = size / 1e9;
  const targets: [string, number, "≤" | "≥", number, string][] = [
    ["gzip push / push floor (was ≤ 1.25× the bare export)", c.seconds / f.seconds, "≤", 1.4, "×"],
    ["--compression none push / push floor (was ≤ 1.1× the bare export)", d.seconds / f.seconds, "≤", 1.2, "×"],
    ["gzip push CPU per GB (was ≤ 5)", c.cpu / gb, "≤", 7, " CPU-s/GB"],
    ["--compression none push CPU per GB (was ≤ 1.5)", d.cpu / gb, "≤", 3, " CPU-s/GB"],
    ["push peak RSS, gzip", c.rss, "≤", 200, " MB"],
    ["push peak RSS, an image twice as big", twice?.rss ?? Number.NaN, "≤", 200, " MB"],
    ["re-push of an unchanged image", labRe?.seconds ?? Number.NaN, "≤", 0.5, " s"],
    ["re-push / skopeo's re-push", (labRe?.seconds ?? Number.NaN) / (skopeoRe?.seconds ?? Number.NaN), "≤", 0.1, "×"],
    ["lab images save / docker save (was ≤ 1.1×)", h.seconds / hd.seconds, "≤", 1.2, "×"],
    ["lab images save peak RSS", h.rss, "≤", 200, " MB"],
    ["lab images copy / skopeo copy", i.seconds / is.seconds, "≤", 0.7, "×"],
    ["lab images copy peak RSS", i.rss, "≤", 200, " MB"],
  ];
  for (const [what, value, op, bound, unit] of targets) {
    const met = op === "≤" ? value <= bound : value >= bound;
    console.log(
      `${what}: ${value.toFixed(2)}${unit}   target ${op} ${bound}${unit.trim() === "×" ? "×" : unit}: ${met ? "met" : "NOT met"}`,
    );
  }
} finally {
  for (const r of registries) r.stop();
  rmSync(work, { recursive: true, force: true });
}
