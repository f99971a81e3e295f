import { describe, expect, test } from "bun:test";
import { goDuration, impairmentOf, impairmentSummary, netemResetArgs, netemSetArgs, type TcQdisc } from "./netem.ts";

// The exact qdisc lab asks the kernel for, flag by flag: this machine's kernel has no sch_netem, so
// these are what proves the configuration (the end-to-end test measures it where netem exists).
const base = ["qdisc", "replace", "dev", "eth1", "root", "handle", "1:", "netem", "limit", "10000"];

describe("netemSetArgs", () => {
  test.each([
    ["--delay 40ms", { delayMs: 40 }, ["delay", "40000us"]],
    ["--delay 40ms --jitter 5ms", { delayMs: 40, jitterMs: 5 }, ["delay", "40000us", "5000us"]],
    ["--delay 1.5s", { delayMs: 1500 }, ["delay", "1500000us"]],
    ["--loss 30", { lossPct: 30 }, ["loss", "random", "30%"]],
    ["--loss 0.1", { lossPct: 0.1 }, ["loss", "random", "0.1%"]],
    ["--rate 1000", { rateKbit: 1000 }, ["rate", "1000kbit"]],
    ["--corruption 2.5", { corruptionPct: 2.5 }, ["corrupt", "2.5%"]],
    ["--duplicate 1", { duplicatePct: 1 }, ["duplicate", "1%"]],
    ["no flags: a plain netem (clears what was set)", {}, []],
    [
      "all of them",
      { delayMs: 10, jitterMs: 2, lossPct: 5, rateKbit: 512, corruptionPct: 1, duplicatePct: 3 },
      ["delay", "10000us", "2000us", "loss", "random", "5%", "corrupt", "1%", "duplicate", "3%", "rate", "512kbit"],
    ],
  ])("%s", (_name, settings, extra) => {
    expect(netemSetArgs("eth1", settings)).toEqual([...base, ...extra]);
  });

  test.each([
    [{ lossPct: 101 }, "--loss 101 is not a percentage between 0 and 100"],
    [{ corruptionPct: -1 }, "--corruption -1 is not a percentage between 0 and 100"],
    [{ jitterMs: 5 }, "jitter cannot be set without setting delay"],
    [{ rateKbit: 1.5 }, "--rate 1.5 is not a whole number of kbit/s"],
    [{ delayMs: -3 }, "--delay must not be negative"],
  ])("refuses %j", (settings, message) => {
    expect(() => netemSetArgs("eth1", settings)).toThrow(message);
  });

  test("reset deletes the root qdisc", () => {
    expect(netemResetArgs("eth1")).toEqual(["qdisc", "del", "dev", "eth1", "root"]);
  });
});

describe("reading tc -j qdisc show", () => {
  // iproute2's q_netem.c JSON: seconds for delay and jitter, fractions for percentages, bytes/s for rate.
  const qdisc: TcQdisc = {
    kind: "netem",
    dev: "eth1",
    root: true,
    options: {
      delay: { delay: 0.04, jitter: 0.005 },
      "loss-random": { loss: 0.3 },
      corrupt: { corrupt: 0.025 },
      duplicate: { duplicate: 0.01 },
      rate: { rate: 125000 },
    },
  };

  test("in Containerlab's units (ImpairmentData), duplicate added", () => {
    expect(impairmentOf(qdisc, "eth1 (ethernet-1/1)")).toEqual({
      interface: "eth1 (ethernet-1/1)",
      delay: "40ms",
      jitter: "5ms",
      packet_loss: 30,
      rate: 1000,
      corruption: 2.5,
      duplicate: 1,
    });
    expect(impairmentSummary(impairmentOf(qdisc, "eth1"))).toBe(
      "delay 40ms±5ms loss 30% rate 1000kbit corrupt 2.5% duplicate 1%",
    );
  });

  test("an interface without netem has empty values", () => {
    expect(impairmentOf({ kind: "noqueue" }, "eth0")).toEqual({
      interface: "eth0",
      delay: "",
      jitter: "",
      packet_loss: 0,
      rate: 0,
      corruption: 0,
      duplicate: 0,
    });
  });

  test.each([
    [40_000_000, "40ms"],
    [1_500_000_000, "1.5s"],
    [100_000, "100µs"],
    [90_000_000_000, "1m30s"],
    [0, "0s"],
  ])("goDuration(%d) = %s", (ns, text) => {
    expect(goDuration(ns)).toBe(text);
  });
});
