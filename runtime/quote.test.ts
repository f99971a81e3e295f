import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { batchLine, batchWord, shellLine, shellQuote, UnquotableError } from "./quote.ts";

// The nasty words a topology or a flag could carry.
const NASTY = ["h1\nnetns add x", "a b", "x;touch /tmp/p", "$(touch /tmp/p)", "`id`", "../..", "it's", 'say "hi"', "é"];

describe("shellQuote: what sh reads back is the word, nothing runs", () => {
  test.each(NASTY)("%j", (word) => {
    const r = spawnSync("sh", ["-c", `printf %s ${shellQuote(word)}`], { encoding: "utf8" });
    expect(r.stdout).toBe(word);
  });

  test("plain words stay bare; argv becomes one line", () => {
    expect(shellLine(["ip", "-n", "clab-a-b", "-batch", "-"])).toBe("ip -n clab-a-b -batch -");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote("")).toBe("''");
  });

  test("a NUL byte is refused", () => {
    expect(() => shellQuote("a\0b")).toThrow(UnquotableError);
  });
});

describe("batchWord: iproute2's batch reader gets the words back, or the word is refused", () => {
  test("plain words bare; blanks and a leading quote quoted with the other quote", () => {
    expect(batchLine(["link", "set", "dev", "eth1", "alias", "ethernet-1/1"])).toBe(
      "link set dev eth1 alias ethernet-1/1",
    );
    expect(batchWord("a b")).toBe('"a b"');
    expect(batchWord('say "hi"')).toBe(`'say "hi"'`);
    expect(batchWord("")).toBe('""');
  });

  test.each(["h1\nnetns add x", "a#b", "a\rb", "a\0b", `it's "both"`])("%j is refused", (word) => {
    expect(() => batchWord(word)).toThrow(UnquotableError);
  });

  test("ip -batch reads a quoted word as one argument (an alias with blanks)", () => {
    // ip names the device it could not find: the whole quoted word, blanks included.
    const r = spawnSync("ip", ["-batch", "-"], { input: `${batchLine(["link", "show", "dev", "no such dev"])}\n` });
    expect(r.stderr.toString()).toContain('"no such dev"');
  });
});
