import { describe, expect, test } from "bun:test";
import { mapLimit, runWithDependencies } from "./pool.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("runWithDependencies", () => {
  test("lanes (hosts) each get the worker bound: one lane's work does not hold another's", async () => {
    const running = new Map<string, number>();
    const peak = new Map<string, number>();
    const items = ["h1a", "h1b", "h1c", "h2a", "h2b", "h2c"].map((id) => ({ id, deps: [], value: id }));
    await runWithDependencies(
      items,
      async (v) => {
        const lane = v.slice(0, 2);
        running.set(lane, (running.get(lane) ?? 0) + 1);
        peak.set(lane, Math.max(peak.get(lane) ?? 0, running.get(lane) ?? 0));
        await sleep(5);
        running.set(lane, (running.get(lane) ?? 1) - 1);
      },
      { maxWorkers: 2, lane: (id) => id.slice(0, 2) },
    );
    expect(Object.fromEntries(peak)).toEqual({ h1: 2, h2: 2 });
  });

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
