import { LabError } from "../errors.ts";
import { type LabEvent, mergedAttributes, rfc3339Nano } from "./types.ts";

// Output formats of `lab events`, as Containerlab's formatter.go writes them.

const sortedEntries = (attrs: Record<string, string>) =>
  Object.entries(attrs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** `TIMESTAMP TYPE ACTION ACTOR (k=v, …)` */
function plain(e: LabEvent): string {
  const attrs = sortedEntries(mergedAttributes(e));
  const suffix = attrs.length ? ` (${attrs.map(([k, v]) => `${k}=${v}`).join(", ")})` : "";
  return `${rfc3339Nano(e.timeNs)} ${e.type} ${e.action} ${e.actorId || e.actorName || "-"}${suffix}`;
}

/** One JSON object per line, keys as Containerlab's aggregatedEvent (attributes sorted, as Go's encoder does). */
function json(e: LabEvent): string {
  const attrs = Object.fromEntries(sortedEntries(mergedAttributes(e)));
  return JSON.stringify({
    timestamp: rfc3339Nano(e.timeNs),
    type: e.type,
    action: e.action,
    actor_id: e.actorId,
    actor_name: e.actorName,
    actor_full_id: e.actorFullId,
    ...(Object.keys(attrs).length ? { attributes: attrs } : {}),
  });
}

export const eventFormats = { plain, json } as const;
export type EventFormat = keyof typeof eventFormats;

export function eventFormatter(name: string): (e: LabEvent) => string {
  const f = eventFormats[name.trim().toLowerCase() as EventFormat];
  if (!f)
    throw new LabError("usage", `output format "${name}" is not supported by lab events`, {
      hint: `Use ${Object.keys(eventFormats).join(" or ")}`,
    });
  return f;
}
