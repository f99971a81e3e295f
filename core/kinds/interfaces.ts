import type { InterfaceRule } from "./types.ts";

// Containerlab's interface-name rules (nodes/default_node.go, nodes/vr_node.go and the kinds that
// override them), as data: each rule says which NOS names map to which Linux name.

/** vrnetlab's data interfaces: eth1 and up (eth0 is management). Go's regexp is not anchored at the start. */
const VM_INTERFACE = /eth[1-9]\d*$/;

/**
 * A NOS port name mapped by a capture of its port number: `port - offset + first` is the ethN index
 * (Containerlab's CalculateInterfaceIndex). For VM kinds (`vm`), an ethN name passes as it is and any
 * other name must map; for container kinds a name the pattern does not match passes unchanged.
 */
export function portMap(pattern: RegExp, offset: number, help: string, opts: { vm?: boolean; first?: number } = {}) {
  const first = opts.first ?? (opts.vm ? 1 : 0);
  return {
    help,
    map(name: string) {
      if (opts.vm && VM_INTERFACE.test(name)) return name;
      const m = pattern.exec(name);
      if (!m) {
        if (!opts.vm) return name;
        return {
          error: `interface name "${name}" could not be mapped to an ethX-based interface name (expected ${help})`,
        };
      }
      const index = Number(m.groups?.port) - offset + first;
      if (index < first)
        return {
          error: `extracted interface index for "${name}" is out of bounds: ${index} ! >= ${first} (expected ${help})`,
        };
      return `eth${index}`;
    },
  } satisfies InterfaceRule;
}

/** vrnetlab kinds without NOS names: only eth1 and up. */
export const vmOnly = (help = "ethX (where X >= 1)"): InterfaceRule => ({
  help,
  map: (name) =>
    VM_INTERFACE.test(name)
      ? name
      : { error: `interface name "${name}" does not match the required interface patterns: ${help}` },
});

/** Several captures joined into one Linux name, each index at least `min` (SR Linux, SR-SIM, IOL). */
export function composite(
  pattern: RegExp,
  build: (g: Record<string, number | undefined>) => string | { error: string },
  check: RegExp,
  help: string,
  min = 1,
): InterfaceRule {
  return {
    help,
    map(name) {
      const m = pattern.exec(name);
      if (m) {
        const g: Record<string, number | undefined> = {};
        for (const [k, v] of Object.entries(m.groups ?? {})) {
          if (v === undefined || v === "") continue;
          g[k] = Number(v);
          if ((g[k] as number) < min)
            return { error: `"${name}" parsed "${k}" index "${v}" does not match requirement >= ${min}` };
        }
        return build(g);
      }
      return check.test(name)
        ? name
        : { error: `interface name "${name}" doesn't match the required pattern: ${help}` };
    },
  };
}
