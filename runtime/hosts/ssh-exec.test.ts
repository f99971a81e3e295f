import { expect, test } from "bun:test";
import { shellLine, shellQuote } from "./ssh-exec.ts";

test("argv becomes one shell line on the far side, quoted only where needed", () => {
  expect(shellLine(["ip", "-n", "clab-a-b", "-batch", "-"])).toBe("ip -n clab-a-b -batch -");
  expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  expect(shellQuote("a b;rm -rf /")).toBe("'a b;rm -rf /'");
  expect(shellQuote("")).toBe("''");
});
