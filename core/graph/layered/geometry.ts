// Boxes and segments: what label placement checks against, and what the tests and `make bench`
// measure a drawing by (overlaps, crossings).

export interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export const boxAt = (cx: number, cy: number, w: number, h: number): Box => ({
  x1: cx - w / 2,
  y1: cy - h / 2,
  x2: cx + w / 2,
  y2: cy + h / 2,
});

/** Overlap with a positive area (touching edges do not count). */
export const overlaps = (a: Box, b: Box): boolean => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;

/** Pairs of boxes that overlap, by index (a sweep over x, so thousands of boxes stay quick). */
export function overlappingPairs(boxes: Box[]): [number, number][] {
  const order = boxes.map((_, i) => i).sort((i, j) => (boxes[i] as Box).x1 - (boxes[j] as Box).x1);
  const out: [number, number][] = [];
  const active: number[] = [];
  for (const i of order) {
    const b = boxes[i] as Box;
    for (let k = active.length - 1; k >= 0; k--)
      if ((boxes[active[k] as number] as Box).x2 <= b.x1) active.splice(k, 1);
    for (const j of active) if (overlaps(b, boxes[j] as Box)) out.push([Math.min(i, j), Math.max(i, j)]);
    active.push(i);
  }
  return out;
}

export interface Segment {
  a: string;
  b: string;
  from: { x: number; y: number };
  to: { x: number; y: number };
}

const side = (p: { x: number; y: number }, q: { x: number; y: number }, r: { x: number; y: number }) =>
  Math.sign((q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x));

/** Links drawn as straight lines that cross (links sharing a node never count). */
export function countSegmentCrossings(segments: Segment[]): number {
  let n = 0;
  for (let i = 0; i < segments.length; i++)
    for (let j = i + 1; j < segments.length; j++) {
      const [s, t] = [segments[i] as Segment, segments[j] as Segment];
      if (s.a === t.a || s.a === t.b || s.b === t.a || s.b === t.b) continue;
      if (
        side(s.from, s.to, t.from) * side(s.from, s.to, t.to) < 0 &&
        side(t.from, t.to, s.from) * side(t.from, t.to, s.to) < 0
      )
        n++;
    }
  return n;
}
