import { describe, expect, test } from "bun:test";
import { mapLimit, runWithDependencies } from "./pool.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("runWithDependencies", () => {
  test("respects dependencies and the worker bound", async () => {
    const order: string[] = [];
    let running = 0;
    let peak = 0;
    const items = [
      { id: "c", deps: ["a", "b"], value: "c" },
      { id: "a", deps: [], value: "a" },
      { id: "b", deps: [], value: "b" },
      { id: "d", deps: [], value: "d" },
    ];
    await runWithDependencies(
      items,
      async (v) => {
        running++;
        peak = Math.max(peak, running);
        await sleep(5);
        order.push(v);
        running--;
      },
      { maxWorkers: 2 },
    );
    expect(peak).toBe(2);
    expect(order.indexOf("c")).toBeGreaterThan(Math.max(order.indexOf("a"), order.indexOf("b")));
  });

  test("the first failure stops new work and is rethrown", async () => {
    const ran: string[] = [];
    const run = runWithDependencies(
      [
        { id: "a", deps: [], value: "a" },
        { id: "b", deps: ["a"], value: "b" },
      ],
      async (v) => {
        ran.push(v);
        if (v === "a") throw new Error("boom");
      },
      { maxWorkers: 4 },
    );
    await expect(run).rejects.toThrow("boom");
    expect(ran).toEqual(["a"]);
  });

  test("an abort signal stops scheduling", async () => {
    const controller = new AbortController();
    const ran: string[] = [];
    const run = runWithDependencies(
      [
        { id: "a", deps: [], value: "a" },
        { id: "b", deps: ["a"], value: "b" },
      ],
      async (v) => {
        ran.push(v);
        controller.abort();
      },
      { maxWorkers: 1, signal: controller.signal },
    );
    await expect(run).rejects.toThrow("interrupted");
    expect(ran).toEqual(["a"]);
  });
});

test("mapLimit keeps order and bounds concurrency", async () => {
  let running = 0;
  let peak = 0;
  const out = await mapLimit([1, 2, 3, 4, 5], 2, async (n) => {
    running++;
    peak = Math.max(peak, running);
    await sleep(2);
    running--;
    return n * 2;
  });
  expect(out).toEqual([2, 4, 6, 8, 10]);
  expect(peak).toBe(2);
});
