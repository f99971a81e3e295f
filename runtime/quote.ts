// The one place lab turns argv words into text another program parses again: a POSIX shell (a
// command line run over SSH, `sh -c` on another host) and iproute2's batch syntax (`ip -batch`,
// `tc -batch`). Everything else runs with argv arrays. Names from a topology are checked before they
// get here (core/topology/names.ts); these helpers are the second line: a word the syntax cannot
// carry is refused, never passed through.

/** Thrown for a word that the target syntax cannot carry intact. */
export class UnquotableError extends Error {
  constructor(
    readonly word: string,
    readonly syntax: string,
    reason: string,
  ) {
    super(`${JSON.stringify(word)} cannot be passed to ${syntax}: ${reason}`);
    this.name = "UnquotableError";
  }
}

/** One argv word for a POSIX shell: bare when plainly safe, else single-quoted (the only safe quote). */
export function shellQuote(word: string): string {
  if (word.includes("\0")) throw new UnquotableError(word, "a shell", "it holds a NUL byte");
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** argv as one POSIX shell command line. */
export const shellLine = (argv: readonly string[]) => argv.map(shellQuote).join(" ");

/**
 * One word for iproute2's batch reader (lib/utils.c getcmdline + makeargs): it cuts each line at the
 * first `#` (a comment, even inside quotes), splits on blanks, and takes a word that starts with `'`
 * or `"` up to the next same quote, with no escapes. So a word with `#`, a line break or NUL cannot be
 * carried at all; one with blanks is quoted with a quote it does not contain.
 */
export function batchWord(word: string): string {
  const syntax = "ip/tc -batch";
  if (/[#\n\r\0]/.test(word))
    throw new UnquotableError(word, syntax, "it holds #, a line break or NUL, which the batch reader cannot quote");
  if (word !== "" && !/[\s'"]/.test(word)) return word;
  if (!word.includes('"')) return `"${word}"`;
  if (!word.includes("'")) return `'${word}'`;
  throw new UnquotableError(word, syntax, "it holds both quote characters");
}

/** argv (without the program name) as one line of `ip -batch` / `tc -batch` input. */
export const batchLine = (argv: readonly string[]) => argv.map(batchWord).join(" ");
