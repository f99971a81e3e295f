// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are shell-style expansions under test
import { describe, expect, test } from "bun:test";
import { expandEnv } from "./envsubst.ts";

const env = { SET: "v", EMPTY: "", IMG: "alpine:3" };
const cases: [string, string][] = [
  ["${SET}", "v"],
  ["$SET/x", "v/x"],
  ["${UNSET}", "${UNSET}"],
  ["$UNSET", "$UNSET"],
  ["${UNSET:-d}", "d"],
  ["${EMPTY:-d}", "d"],
  ["${EMPTY-d}", ""],
  ["${SET:-d}", "v"],
  ["${UNSET:+x}", ""],
  ["${SET:+x}", "x"],
  ["${EMPTY+x}", "x"],
  ['${CLAB_PREFIX:=""}', '""'],
  ["$$HOME", "$HOME"],
  ["cost $$5", "cost $5"],
  ["$1 stays", "$1 stays"],
  ["image: ${IMG:-busybox}", "image: alpine:3"],
  ["${UNSET:-${SET}}", "v"],
];

describe("expandEnv", () => {
  for (const [input, output] of cases) test(`${input} → ${output}`, () => expect(expandEnv(input, env)).toBe(output));
  test(":= assigns for later references", () => {
    expect(expandEnv("${A:=one} ${A}", {})).toBe("one one");
  });
  test("keeps line structure", () => {
    expect(expandEnv("a: ${SET}\nb: ${X}\n", env)).toBe("a: v\nb: ${X}\n");
  });
});
