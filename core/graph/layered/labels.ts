import { type Box, boxAt, overlaps } from "./geometry.ts";

// Interface names at their link ends, none over another or over a node. Each end's name slides
// along its own half of the link, from just clear of its node outwards, and takes the first place
// that is free; an end with no free place tries the short form of the name (ethernet-1/1 → e1/1),
// and one that still has none is left to the link's tooltip and the link table.

export interface LabelEnd {
  key: string;
  /** The node this end belongs to, and the node at the other end. */
  node: string;
  other: string;
  text: string;
}

export interface PlacedLabel {
  x: number;
  y: number;
  width: number;
  height: number;
  text: string;
}

export interface NodeBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const LABEL_FONT = { size: 9, charWidth: 5.6, height: 12, pad: 4 };
const CLEAR = 3;
/** Kept free around each name: a browser's box for it is a pixel wider on each side than its text. */
const GAP = 1.5;
const STEP = 1.5;
const CELL = 48;

export const labelWidth = (text: string) => text.length * LABEL_FONT.charWidth + LABEL_FONT.pad;

/** ethernet-1/1 → e1/1, GigabitEthernet0/0/1 → G0/0/1, eth12 → e12; names without a word prefix stay. */
export function shortName(name: string): string {
  const m = /^([A-Za-z]+)[-_ ]?(\d.*)$/.exec(name);
  return m ? `${(m[1] as string)[0]}${m[2]}` : name;
}

class Grid {
  private cells = new Map<string, Box[]>();
  private keys(b: Box): string[] {
    const out: string[] = [];
    for (let i = Math.floor(b.x1 / CELL); i <= Math.floor(b.x2 / CELL); i++)
      for (let j = Math.floor(b.y1 / CELL); j <= Math.floor(b.y2 / CELL); j++) out.push(`${i},${j}`);
    return out;
  }
  add(b: Box) {
    for (const k of this.keys(b)) this.cells.set(k, [...(this.cells.get(k) ?? []), b]);
  }
  free(b: Box): boolean {
    for (const k of this.keys(b)) for (const o of this.cells.get(k) ?? []) if (overlaps(b, o)) return false;
    return true;
  }
}

export function placeLabels(nodes: Map<string, NodeBox>, ends: LabelEnd[]): Map<string, PlacedLabel> {
  const grid = new Grid();
  for (const n of nodes.values()) grid.add(boxAt(n.x, n.y, n.width + 2 * CLEAR, n.height + 2 * CLEAR));
  const placed = new Map<string, PlacedLabel>();
  const tryPlace = (end: LabelEnd, text: string): boolean => {
    const [own, other] = [nodes.get(end.node), nodes.get(end.other)];
    if (!own || !other) return false;
    const [dx, dy] = [other.x - own.x, other.y - own.y];
    const length = Math.hypot(dx, dy);
    if (length === 0) return false;
    const [ux, uy] = [dx / length, dy / length];
    const [w, h] = [labelWidth(text), LABEL_FONT.height];
    // The first distance at which a box centred on the line is clear of its own node.
    const clearX = ux === 0 ? Infinity : (own.width / 2 + w / 2 + CLEAR) / Math.abs(ux);
    const clearY = uy === 0 ? Infinity : (own.height / 2 + h / 2 + CLEAR) / Math.abs(uy);
    for (let s = Math.min(clearX, clearY); s <= length / 2; s += STEP) {
      const b = boxAt(own.x + ux * s, own.y + uy * s, w + 2 * GAP, h + 2 * GAP);
      if (!grid.free(b)) continue;
      grid.add(b);
      placed.set(end.key, { x: own.x + ux * s, y: own.y + uy * s, width: w, height: h, text });
      return true;
    }
    return false;
  };
  const left = ends.filter((e) => !tryPlace(e, e.text));
  for (const e of left) if (shortName(e.text) !== e.text) tryPlace(e, shortName(e.text));
  return placed;
}
