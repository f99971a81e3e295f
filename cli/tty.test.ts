// The fstat answer against node:tty's own, on what a test can open: a pipe, /dev/null (a character
// device that is no terminal), a file, and a pseudo-terminal from script(1) (util-linux, on every Debian).
import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { isatty } from "node:tty";
import { isTerminal } from "./tty.ts";

describe("isTerminal", () => {
  test("agrees with node:tty on /dev/null, a file and a bad descriptor", () => {
    for (const path of ["/dev/null", "/etc/hostname"]) {
      const fd = openSync(path, "r");
      try {
        expect(isTerminal(fd)).toBe(isatty(fd));
        expect(isTerminal(fd)).toBe(false);
      } finally {
        closeSync(fd);
      }
    }
    expect(isTerminal(9999)).toBe(false);
  });

  test("a pseudo-terminal is one (through script(1))", () => {
    const probe = `import { isTerminal } from ${JSON.stringify(`${import.meta.dir}/tty.ts`)}; import { isatty } from "node:tty"; console.log(String(isTerminal(1)), String(isatty(1)));`;
    const r = spawnSync("script", ["-qec", `${process.execPath} -e '${probe}'`, "/dev/null"], { encoding: "utf8" });
    expect(r.stdout.trim().split(/\s+/).slice(-2)).toEqual(["true", "true"]);
  });
});
