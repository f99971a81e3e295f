// One event as Containerlab's `events` prints it (core/events/types.go aggregatedEvent), so
// scripts written against its JSON lines read lab's unchanged.

export interface LabEvent {
  /** Nanoseconds since the epoch (the engine's timeNano; now for interface events). */
  timeNs: bigint;
  type: "container" | "interface";
  action: string;
  /** Short (12-character) container ID. */
  actorId: string;
  actorName: string;
  actorFullId: string;
  attributes: Record<string, string>;
}

export const nowNs = () => BigInt(Date.now()) * 1_000_000n;

/** Go's time.RFC3339Nano in UTC: fractional seconds with trailing zeros dropped. */
export function rfc3339Nano(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  const base = new Date(ms).toISOString().slice(0, 19);
  const frac = (ns % 1_000_000_000n).toString().padStart(9, "0").replace(/0+$/, "");
  return `${base}${frac ? `.${frac}` : ""}Z`;
}

/** The attributes printed: the event's own, without empty values, plus name and id (as Containerlab merges them). */
export function mergedAttributes(e: LabEvent): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(e.attributes)) if (v !== "") out[k] = v;
  if (e.actorName) out.name = e.actorName;
  if (e.actorFullId) out.id = e.actorFullId;
  return out;
}
