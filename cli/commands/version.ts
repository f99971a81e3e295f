import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineCommand } from "citty";
import { buildInfo } from "../../core/build-info.ts";
import { LabError } from "../../core/errors.ts";
import { latestRelease, newer, REPOSITORY, releaseNotes, releasesUrl, versionJson } from "../../core/release.ts";
import { versionReport } from "../../core/version.ts";
import { getPlatform } from "../../runtime/platform/index.ts";
import { cliContext } from "../context.ts";
import { logger } from "../logger.ts";
import { err, out } from "../out.ts";
import { printJson } from "../render/output.ts";
import { formatArgs, globalArgs } from "./_shared.ts";

// Containerlab's `version` (cmd/version.go): the aligned `version:`/`commit:`/`date:` block, -s for
// the number alone, -j for its JSON; `version check` and `version upgrade` against lab's releases.
// lab adds the JS runtime and the engine it talks to (so `lab version` also says whether the engine
// answers); -s and -j stay Containerlab's and never touch the engine.

const check = defineCommand({
  meta: { name: "check", description: "Check whether a newer lab release is out" },
  args: { ...globalArgs },
  async run() {
    const latest = await latestRelease((url, init) => fetch(url, init), process.env);
    if (!latest) logger.info("Failed fetching latest version information");
    else if (newer(latest, buildInfo.version))
      logger.info(
        `A newer lab version (${latest}) is available! Release notes: ${releaseNotes(latest)}. Run 'lab version upgrade'.`,
      );
    else logger.info(`You are on the latest version (${buildInfo.version})`);
  },
});

const upgrade = defineCommand({
  meta: { name: "upgrade", description: "Install the newest lab release with its installer" },
  args: { ...globalArgs },
  async run() {
    const platform = await getPlatform();
    const url = `${releasesUrl(process.env)}/latest/download/install.sh`;
    const r = await fetch(url, { signal: AbortSignal.timeout(30_000) }).catch((error: Error) => {
      throw new LabError("remote", `cannot download lab's installer from ${url}: ${error.message}`);
    });
    if (!r.ok) throw new LabError("remote", `cannot download lab's installer from ${url}: HTTP ${r.status}`);
    const dir = await mkdtemp(join(tmpdir(), "lab-upgrade-"));
    try {
      await writeFile(join(dir, "install.sh"), new Uint8Array(await r.arrayBuffer()), { mode: 0o700 });
      const run = await platform.run(["sh", join(dir, "install.sh")]);
      err(new TextDecoder().decode(run.stdout) + new TextDecoder().decode(run.stderr));
      if (run.code !== 0) throw new LabError("remote", `lab's installer failed with exit code ${run.code}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
});

export default defineCommand({
  meta: {
    name: "version",
    description: "Show lab's version, the JS runtime and the container engine (Docker or Podman) it talks to",
  },
  args: {
    short: { type: "boolean", alias: "s", description: "Print just the version number" },
    json: { type: "boolean", alias: "j", description: "Print version info as JSON (Containerlab's keys)" },
    ...formatArgs,
    ...globalArgs,
  },
  subCommands: { check, upgrade, update: upgrade },
  async run({ args }) {
    if (args.short) return out(`${buildInfo.version}\n`);
    if (args.json) return out(`${JSON.stringify(versionJson())}\n`);
    const { platform, docker } = await cliContext();
    const report = await versionReport(platform, docker);
    if (args.format === "json") return printJson(report);
    const e = report.engine;
    const lines = [
      ["version", buildInfo.version],
      ["commit", buildInfo.commit],
      ["date", buildInfo.date ?? "unknown"],
      ["source", REPOSITORY],
      ["rel. notes", releaseNotes(buildInfo.version)],
      ["runtime", `${report.runtime.name} ${report.runtime.version}`],
      [
        "engine",
        `${e.runtime}: ${e.name} ${e.version} (API ${e.apiVersion}, using ${e.negotiatedApiVersion}) on ${e.os}/${e.arch} at ${e.host}`,
      ],
    ];
    out(`${lines.map(([k, v]) => `${(k as string).padStart(11)}: ${v}`).join("\n")}\n`);
  },
});
