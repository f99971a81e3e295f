import { describe, expect, test } from "bun:test";
import { normalizeArgv } from "./argv.ts";
import { tree } from "./tree.generated.ts";

const norm = (argv: string[], env: Record<string, string> = {}) => normalizeArgv(tree, argv, env);

// Cases from Containerlab's smoke suite (tests/01-smoke) and its viper binding (cmd/viper.go).
describe("Containerlab's command line before lab's parser", () => {
  test("persistent flags before the command (08-tools-cmds: `-t FILE tools …`)", () => {
    expect(norm(["-t", "x.clab.yml", "inspect"])).toEqual(["inspect", "--topo", "x.clab.yml"]);
  });

  test("-d and --log-level debug are lab's --verbose (06-tools-certs: `tools cert ca create … -d`)", () => {
    expect(norm(["tools", "cert", "ca", "create", "-d"])).toContain("--verbose");
    expect(norm(["--log-level", "debug", "inspect", "--all"])).toEqual(["inspect", "--all", "--verbose"]);
    expect(norm(["--log-level", "info", "inspect", "--all"])).toEqual(["inspect", "--all"]);
  });

  test("a command's own -d wins (lab share -d is --detach)", () => {
    expect(norm(["share", "-d"])).toEqual(["share", "-d"]);
  });

  test("--runtime before the command reaches it (01-basic-flow: `--runtime docker deploy`)", () => {
    expect(norm(["--runtime", "docker", "deploy", "-t", "a.yml"])).toEqual([
      "deploy",
      "-t",
      "a.yml",
      "--runtime",
      "docker",
    ]);
  });

  test("--timeout is accepted and has no use in lab", () => {
    expect(norm(["--timeout", "5m", "inspect", "--all"])).toEqual(["inspect", "--all"]);
  });

  test("CLAB_<FLAG> sets a persistent flag: CLAB_NAME=x inspect", () => {
    expect(norm(["inspect"], { CLAB_NAME: "x" })).toEqual(["inspect", "--name", "x"]);
  });

  test("CLAB_<COMMAND>_<FLAG>, with Containerlab's command names for lab's verbs", () => {
    expect(norm(["inspect", "--all"], { CLAB_INSPECT_FORMAT: "json" })).toEqual([
      "inspect",
      "--all",
      "--format",
      "json",
    ]);
    expect(norm(["down", "--all"], { CLAB_DESTROY_CLEANUP: "true" })).toEqual(["down", "--all", "--cleanup"]);
  });

  test("the command line wins over the environment", () => {
    expect(norm(["inspect", "--name", "a"], { CLAB_NAME: "b" })).toEqual(["inspect", "--name", "a"]);
  });

  test("what follows -- is left alone", () => {
    expect(norm(["exec", "--", "-d"])).toEqual(["exec", "--", "-d"]);
  });
});
