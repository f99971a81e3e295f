import type { KeyPath } from "./diagnostics.ts";
import type { RawNode } from "./schema.ts";

// How a node's settings are inherited, as Containerlab's topology getters read them: the levels
// node → group → kind (`kinds:`) → defaults, each with where it sits in the file for errors.

/** One level of configuration and where it sits in the file, for error positions. */
export interface Level {
  cfg: RawNode;
  path: KeyPath;
  level: "node" | "group" | "kind" | "defaults";
}

export type Setting<K extends keyof RawNode> = { value: NonNullable<RawNode[K]>; path: KeyPath };

export class NodeLevels {
  constructor(readonly levels: Level[]) {}

  /** The first value set wins, in the order node → group → kind → defaults. */
  first = <K extends keyof RawNode>(key: K): Setting<K> | undefined => {
    for (const l of this.levels) {
      const value = l.cfg[key];
      if (value !== undefined && value !== null)
        return { value: value as NonNullable<RawNode[K]>, path: [...l.path, key] };
    }
    return undefined;
  };

  /** The first non-empty list wins (ports, publish: an empty list does not hide the next level's). */
  firstNonEmpty = <K extends "ports" | "publish">(key: K): Setting<K> | undefined => {
    for (const l of this.levels) {
      const value = l.cfg[key];
      if (value?.length) return { value: value as NonNullable<RawNode[K]>, path: [...l.path, key] };
    }
    return undefined;
  };

  /** Maps merge, the more specific level winning per key. */
  merged = (key: "env" | "labels" | "sysctls"): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const l of [...this.levels].reverse())
      for (const [k, v] of Object.entries(l.cfg[key] ?? {})) out[k] = String(v);
    return out;
  };

  /** Lists concatenate, most specific first, without duplicates. */
  concat = (key: "exec" | "env-files" | "devices" | "cap-add" | "binds" | "volumes") => {
    const out: { value: string; path: KeyPath }[] = [];
    for (const l of this.levels) {
      (l.cfg[key] ?? []).forEach((value, i) => {
        if (!out.some((o) => o.value === value)) out.push({ value, path: [...l.path, key, i] });
      });
    }
    return out;
  };

  /** Where the node itself is written (errors about the node as a whole). */
  get at(): KeyPath {
    return this.levels[0]?.path ?? [];
  }
}
