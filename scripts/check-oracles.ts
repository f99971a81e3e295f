// A kind's facts (env, binds, commands, RPCs) are checked against values written out from
// Containerlab's code, never against lab's own constants: a wrong constant would then pass its own
// test. This check, run by scripts/test.sh, fails when a test under core/kinds/ imports a value (an
// exported const that is not a function) from a module of core/kinds/.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const dir = join(import.meta.dir, "../core/kinds");
const problems: string[] = [];

/** Names a module exports as values that are not functions. */
function exportedValues(source: string): Set<string> {
  const out = new Set<string>();
  for (const m of source.matchAll(/^export const (\w+)\s*(?::[^=]+)?=\s*(.*)$/gm)) {
    const [, name, rest = ""] = m;
    // An arrow function or a function expression is behaviour under test, not a value to assert.
    if (/^(async\s*)?(\([^)]*\)|\w+)\s*(:\s*[^=]+)?=>/.test(rest) || /^(async\s+)?function\b/.test(rest)) continue;
    out.add(name as string);
  }
  return out;
}

for (const file of readdirSync(dir).filter((f) => f.endsWith(".test.ts"))) {
  const text = readFileSync(join(dir, file), "utf8");
  for (const m of text.matchAll(/^import\s+(type\s+)?\{([^}]*)\}\s+from\s+"\.\/([\w.-]+\.ts)";/gm)) {
    const [, typeOnly, names = "", module = ""] = m;
    if (typeOnly) continue;
    const values = exportedValues(readFileSync(join(dir, module), "utf8"));
    for (const raw of names.split(",")) {
      const name = raw
        .trim()
        .replace(/^type\s+/, "")
        .split(/\s+as\s+/)[0];
      if (name && !raw.trim().startsWith("type ") && values.has(name))
        problems.push(
          `core/kinds/${file}: imports the value ${name} from ./${module}; write it out from Containerlab's code`,
        );
    }
  }
}

if (problems.length) {
  for (const p of problems) console.error(p);
  process.exit(1);
}
console.log("oracles: no core/kinds test imports a value from the module it checks");
