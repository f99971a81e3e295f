import { expect, test } from "bun:test";
import { targetOf } from "./run.ts";

test("a benchmark's target line is read into its figure, bound and verdict", () => {
  expect(targetOf("graph", "lab graph --dot of it: 101 ms   target ≤ 150 ms: met")).toEqual({
    bench: "graph",
    what: "lab graph --dot of it: 101 ms",
    target: "≤ 150 ms",
    met: true,
  });
  expect(targetOf("startup", "lab up --help 10.5 ms = 2.08× hello-world   target ≤ 2×: NOT met")?.met).toBe(false);
  expect(targetOf("x", "no target here")).toBeUndefined();
});
