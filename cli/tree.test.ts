import { describe, expect, test } from "bun:test";
import { generatedTree } from "../scripts/gen-tree.ts";
import { complete, completionScript } from "./completion.ts";
import { fastPath } from "./fast.ts";
import { renderHelp, useColor } from "./help.ts";
import { tree } from "./tree.generated.ts";
import { findCommand } from "./tree.ts";

describe("the command tree", () => {
  test("tree.generated.ts matches the command definitions (else: bun scripts/gen-tree.ts)", async () => {
    const file = await Bun.file(new URL("./tree.generated.ts", import.meta.url)).text();
    expect(file).toBe(await generatedTree());
  });

  test("findCommand skips flags and their values, as citty does", () => {
    const { path, rest } = findCommand(tree, ["images", "push", "-t", "x.yml", "--to", "r/x"]);
    expect(path.map((p) => p.name)).toEqual(["lab", "images", "push"]);
    expect(rest).toEqual(["-t", "x.yml", "--to", "r/x"]);
    expect(findCommand(tree, ["inspect", "-t", "interfaces"]).path.map((p) => p.name)).toEqual(["lab", "inspect"]);
  });
});

describe("help", () => {
  test("no colour when stdout is not a terminal, or with NO_COLOR", () => {
    expect(useColor({ isTTY: false }, {})).toBe(false);
    expect(useColor({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(useColor({ isTTY: true }, {})).toBe(true);
    const text = renderHelp(findCommand(tree, ["inspect"]).path, "1.2.3", false);
    expect(text).not.toContain("\x1b[");
    expect(text).toContain("USAGE lab inspect");
    expect(text).toMatch(/--format, -f table\|json\|csv +Output format \(default: table\)/);
  });

  test("the top level lists the commands, not Containerlab's hidden verbs", () => {
    const text = renderHelp([tree], "1.2.3", false);
    expect(text).toContain("(lab 1.2.3)");
    expect(text).toMatch(/\n {2}stop +Stop nodes/);
    expect(text).not.toMatch(/\n {2}deploy /);
  });

  test("fastPath answers help on any level and leaves commands to the full CLI", () => {
    expect(fastPath(["images", "push", "--help"], "1", {})?.stdout).toContain("USAGE lab images push");
    expect(fastPath([], "1", {})?.stdout).toContain("COMMANDS");
    expect(fastPath(["exec", "--cmd", "ls", "--", "-h"], "1", {})).toBeUndefined();
    expect(fastPath(["inspect", "--all"], "1", {})).toBeUndefined();
    expect(fastPath(["completion", "tcsh"], "1", {})).toMatchObject({ code: 2 });
  });
});

describe("completion", () => {
  test.each([
    [
      ["tools", "netem", "s"],
      ["set", "show"],
    ],
    [["ima"], ["images"]],
    [["inspect", "--for"], ["--format"]],
    [
      ["inspect", "--format", ""],
      ["table", "json", "csv"],
    ],
    [["up", "-t", ""], []],
    [[""], tree.subcommands.filter((s) => !s.hidden).map((s) => s.name)],
  ])("%j → %j", (words, expected) => {
    expect(complete(tree, words)).toEqual(expected);
  });

  test("bash, zsh and fish scripts ask lab __complete", () => {
    for (const shell of ["bash", "zsh", "fish"]) expect(completionScript(shell)).toContain("__complete");
    expect(completionScript("tcsh")).toBeUndefined();
  });
});
