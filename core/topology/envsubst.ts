/**
 * Environment expansion as Containerlab applies it to the topology text before parsing
 * (hellt/envsubst in restricted, no-replace mode):
 *   ${V} $V  ${V:-d} ${V-d}  ${V:=d} ${V=d}  ${V:+x} ${V+x}   and `$$` for a literal `$`.
 * An unset variable without a default stays literally in place, and names starting with a digit
 * are not variables. `:=`/`=` also assign, so later references see the default.
 */
const PATTERN = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-=+])((?:[^{}]|\{[^{}]*\})*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

export function expandEnv(text: string, env: Record<string, string | undefined>): string {
  const vars = { ...env };
  return text.replace(PATTERN, (match, braced?: string, op?: string, arg?: string, bare?: string) => {
    if (match === "$$") return "$";
    const name = (braced ?? bare) as string;
    const value = vars[name];
    if (!op) return value ?? match;
    const set = value !== undefined;
    const nonEmpty = set && value !== "";
    const word = expandEnv(arg ?? "", vars);
    switch (op) {
      case ":-":
        return nonEmpty ? (value as string) : word;
      case "-":
        return set ? (value as string) : word;
      case ":=":
        if (!nonEmpty) vars[name] = word;
        return vars[name] as string;
      case "=":
        if (!set) vars[name] = word;
        return vars[name] as string;
      case ":+":
        return nonEmpty ? word : "";
      case "+":
        return set ? word : "";
      default:
        return match;
    }
  });
}
