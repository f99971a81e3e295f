import { LabError } from "../errors.ts";

// Link impairments as Containerlab's `tools netem` sets them: one netem qdisc at the root of the
// interface (delay and jitter, random loss, a rate limit, corruption, and duplication, which
// Containerlab lacks), replaced as a whole on each set. This file is pure: the tc arguments for a
// set, and the reading of `tc -j qdisc show`.

export interface NetemSettings {
  /** Milliseconds. */
  delayMs?: number;
  jitterMs?: number;
  /** Percent, 0–100. */
  lossPct?: number;
  /** kbit/s. */
  rateKbit?: number;
  corruptionPct?: number;
  duplicatePct?: number;
}

/** What is in force on one interface, as `show` prints it (Containerlab's ImpairmentData, plus duplicate). */
export interface Impairment {
  interface: string;
  delay: string;
  jitter: string;
  packet_loss: number;
  rate: number;
  corruption: number;
  duplicate: number;
}

/** The packets netem may hold while delaying them (Containerlab's limit). */
export const NETEM_LIMIT = 10000;

const percent = (name: string, v: number | undefined) => {
  if (v !== undefined && (!Number.isFinite(v) || v < 0 || v > 100))
    throw new LabError("usage", `--${name} ${v} is not a percentage between 0 and 100`);
};

export function validateNetem(s: NetemSettings): void {
  percent("loss", s.lossPct);
  percent("corruption", s.corruptionPct);
  percent("duplicate", s.duplicatePct);
  for (const [name, v] of [
    ["delay", s.delayMs],
    ["jitter", s.jitterMs],
    ["rate", s.rateKbit],
  ] as const)
    if (v !== undefined && (!Number.isFinite(v) || v < 0))
      throw new LabError("usage", `--${name} must not be negative`);
  if (s.jitterMs && !s.delayMs)
    throw new LabError("usage", "jitter cannot be set without setting delay", { hint: "Add --delay" });
  if (s.rateKbit !== undefined && !Number.isInteger(s.rateKbit))
    throw new LabError("usage", `--rate ${s.rateKbit} is not a whole number of kbit/s`);
}

const us = (ms: number) => `${Math.round(ms * 1000)}us`;
const pct = (v: number) => `${Number(v.toFixed(6))}%`;

/** `tc` arguments that set exactly these impairments on `dev` (nothing left from an earlier set). */
export function netemSetArgs(dev: string, s: NetemSettings): string[] {
  validateNetem(s);
  const args = ["qdisc", "replace", "dev", dev, "root", "handle", "1:", "netem", "limit", String(NETEM_LIMIT)];
  if (s.delayMs) args.push("delay", us(s.delayMs), ...(s.jitterMs ? [us(s.jitterMs)] : []));
  if (s.lossPct) args.push("loss", "random", pct(s.lossPct));
  if (s.corruptionPct) args.push("corrupt", pct(s.corruptionPct));
  if (s.duplicatePct) args.push("duplicate", pct(s.duplicatePct));
  if (s.rateKbit) args.push("rate", `${s.rateKbit}kbit`);
  return args;
}

export const netemResetArgs = (dev: string) => ["qdisc", "del", "dev", dev, "root"];

/** Go's time.Duration.String() for a whole number of nanoseconds (40ms, 1.5s, 100µs, 1m30s). */
export function goDuration(ns: number): string {
  if (ns === 0) return "0s";
  if (ns < 1e3) return `${ns}ns`;
  if (ns < 1e6) return `${trim(ns / 1e3)}µs`;
  if (ns < 1e9) return `${trim(ns / 1e6)}ms`;
  const h = Math.floor(ns / 3.6e12);
  const m = Math.floor((ns % 3.6e12) / 6e10);
  const sec = (ns % 6e10) / 1e9;
  return `${h ? `${h}h` : ""}${h || m ? `${m}m` : ""}${trim(sec)}s`;
}
const trim = (n: number) => String(Number(n.toFixed(9)));

/** One qdisc of `tc -j qdisc show`, the fields read here (iproute2's q_netem.c JSON). */
export interface TcQdisc {
  kind: string;
  dev?: string;
  root?: boolean;
  options?: {
    delay?: { delay?: number; jitter?: number };
    "loss-random"?: { loss?: number };
    corrupt?: { corrupt?: number };
    duplicate?: { duplicate?: number };
    rate?: { rate?: number };
  };
}

const round2 = (fraction: number | undefined) => Math.round((fraction ?? 0) * 100 * 100) / 100;

/** What a netem qdisc holds, in Containerlab's units (tc's JSON has seconds and fractions, rate in bytes/s). */
export function impairmentOf(q: TcQdisc, display: string): Impairment {
  const o = q.options ?? {};
  const seconds = (v: number | undefined) => (v ? goDuration(Math.round(v * 1e9)) : "");
  return {
    interface: display,
    delay: seconds(o.delay?.delay),
    jitter: seconds(o.delay?.jitter),
    packet_loss: round2(o["loss-random"]?.loss),
    rate: o.rate?.rate ? Math.round((o.rate.rate * 8) / 1000) : 0,
    corruption: round2(o.corrupt?.corrupt),
    duplicate: round2(o.duplicate?.duplicate),
  };
}

/** A one-line summary for lab inspect interfaces: "delay 40ms loss 30%". */
export function impairmentSummary(i: Impairment): string {
  return [
    i.delay && `delay ${i.delay}${i.jitter ? `±${i.jitter}` : ""}`,
    i.packet_loss && `loss ${i.packet_loss}%`,
    i.rate && `rate ${i.rate}kbit`,
    i.corruption && `corrupt ${i.corruption}%`,
    i.duplicate && `duplicate ${i.duplicate}%`,
  ]
    .filter(Boolean)
    .join(" ");
}

/** The message that tells tc has no netem (sch_netem missing from the kernel). */
export const NO_NETEM = /qdisc kind is unknown|Unknown qdisc "netem"/i;
