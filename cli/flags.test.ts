import { describe, expect, test } from "bun:test";
import type { LabError } from "../runtime/errors.ts";
import { checkFlags } from "./flags.ts";
import { tree } from "./tree.generated.ts";

const check = (line: string) => () => checkFlags(tree, line.split(" ").filter(Boolean));
const error = (line: string): LabError => {
  try {
    check(line)();
  } catch (e) {
    return e as LabError;
  }
  throw new Error(`no error for ${line}`);
};

describe("checkFlags", () => {
  test.each([
    ["up -t a.clab.yml --reconfigure --max-workers 4"],
    ["up --runtime podman -t a.clab.yml"],
    ["-r podman inspect --all"],
    ["down --name x --cleanup -v"],
    ["exec -t a.clab.yml --cmd -x --node a"],
    ["exec -t a.clab.yml -- ls --weird"],
    ["images push a:1 b/c:1 --creds u:p --insecure"],
    ["version --format=json"],
  ])("accepts %s", (line) => {
    expect(check(line)).not.toThrow();
  });

  test("an unknown flag names the command and the closest valid flag", () => {
    const e = error("up --runtim podman -t a.clab.yml");
    expect(e.code).toBe("usage");
    expect(e.message).toBe("unknown flag --runtim for lab up");
    expect(e.hint).toBe("did you mean --runtime?");
    expect(error("images push a b --cred u:p").message).toBe("unknown flag --cred for lab images push");
    expect(error("images push a b --cred u:p").hint).toBe("did you mean --creds?");
  });

  test("a flag of another command is unknown here", () => {
    expect(error("down --reconfigure").message).toBe("unknown flag --reconfigure for lab down");
  });

  test("with nothing close, the hint points at --help", () => {
    expect(error("inspect --zzzzzzzz").hint).toBe("See lab inspect --help");
  });
});

describe("--verbose is a flag, not a value", () => {
  test("-v as the value of --cmd, or after --, is not --verbose", async () => {
    const { verboseIn } = await import("./run.ts");
    expect(verboseIn(["exec", "--cmd", "-v", "--name", "x"])).toBe(false);
    expect(verboseIn(["exec", "--name", "x", "--", "-v"])).toBe(false);
    expect(verboseIn(["exec", "--name", "x", "-v"])).toBe(true);
    expect(verboseIn(["up", "--verbose"])).toBe(true);
  });
});
