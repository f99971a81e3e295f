import { defineCommand } from "citty";
import { versionReport } from "../../core/version.ts";
import { cliContext } from "../context.ts";
import { out } from "../out.ts";
import { printJson } from "../render/output.ts";
import { formatArgs, globalArgs } from "./_shared.ts";

export default defineCommand({
  meta: {
    name: "version",
    description: "Show lab's version, the JS runtime and the container engine (Docker or Podman) it talks to",
  },
  args: { ...formatArgs, ...globalArgs },
  async run({ args }) {
    const { platform, docker } = await cliContext();
    const report = await versionReport(platform, docker);
    if (args.format === "json") return printJson(report);
    const lines = [
      `lab      ${report.lab.version} (commit ${report.lab.commit}${report.lab.date ? `, built ${report.lab.date}` : ""})`,
      `runtime  ${report.runtime.name} ${report.runtime.version}`,
      `engine   ${report.engine.runtime}: ${report.engine.name} ${report.engine.version} (API ${report.engine.apiVersion}, using ${report.engine.negotiatedApiVersion}) on ${report.engine.os}/${report.engine.arch} at ${report.engine.host}`,
    ];
    out(`${lines.join("\n")}\n`);
  },
});
