import { expect, test } from "bun:test";
import pkg from "../../package.json" with { type: "json" };
import { missingSsh2Internals } from "./ssh2-adapter.ts";

// Fails loudly when an ssh2 upgrade moves what lab's certificate auth and Border0 keepalive use.
test("ssh2's internals lab relies on are all there, in the pinned version", () => {
  expect(pkg.dependencies.ssh2).toBe("1.17.0");
  expect(missingSsh2Internals()).toEqual([]);
});
