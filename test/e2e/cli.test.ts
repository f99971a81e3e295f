// The built binary (or the source under Bun) and the source under Deno, against the real engine.
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { lab, sh } from "../helpers/env.ts";

const root = join(import.meta.dir, "../..");

describe("lab --help", () => {
  test("lists every command with one line each", () => {
    const r = lab(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/COMMANDS/);
    expect(r.stdout).toMatch(/^\s+version\s+\S.+$/m);
  });
});

describe("lab version", () => {
  test("shows lab, the JS runtime and the engine", () => {
    const r = lab(["version"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^lab\s+\d+\.\d+\.\d+ \(commit \S+/m);
    expect(r.stdout).toMatch(/^runtime\s+bun \d/m);
    expect(r.stdout).toMatch(/^engine\s+Docker \S+ \(API 1\.\d+, using 1\.\d+\)/m);
  });

  test("--format json is machine-readable", () => {
    const r = lab(["version", "--format", "json"]);
    const report = JSON.parse(r.stdout);
    expect(report.runtime.name).toBe("bun");
    expect(report.engine.apiVersion).toMatch(/^1\.\d+$/);
    expect(report.engine.negotiatedApiVersion).toMatch(/^1\.\d+$/);
  });

  test("an unreachable engine is one line on stderr and exit code 4", () => {
    const r = lab(["version"], { env: { DOCKER_HOST: "unix:///nope" } });
    expect(r.code).toBe(4);
    expect(r.stdout).toBe("");
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(
      "cannot reach the Docker Engine at unix:///nope: no such socket. Is dockerd running? Set DOCKER_HOST to use another.",
    );
  });

  test("--verbose adds the stack", () => {
    const r = lab(["version", "--verbose"], { env: { DOCKER_HOST: "unix:///nope" } });
    expect(r.code).toBe(4);
    expect(r.stderr.split("\n").length).toBeGreaterThan(2);
  });

  test("an unknown command is a usage error", () => {
    const r = lab(["frobnicate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Unknown command frobnicate");
  });

  test("runs from source under Deno", () => {
    const r = sh(`cd ${root} && node_modules/.bin/deno run -A cli/main.ts version --format json`);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.runtime.name).toBe("deno");
    expect(report.engine.version).toBeTruthy();
  });
});
