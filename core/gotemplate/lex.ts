// The lexer of Go's text/template (parse/lex.go), state for state: text and actions, trim markers
// `{{- ` and ` -}}`, comments that must fill their action, and the tokens inside an action.

export type ItemType =
  | "error"
  | "bool"
  | "char"
  | "charConstant"
  | "assign"
  | "declare"
  | "eof"
  | "field"
  | "identifier"
  | "leftDelim"
  | "leftParen"
  | "number"
  | "pipe"
  | "rawString"
  | "rightDelim"
  | "rightParen"
  | "space"
  | "string"
  | "text"
  | "variable"
  // keywords
  | "block"
  | "break"
  | "continue"
  | "dot"
  | "define"
  | "else"
  | "end"
  | "if"
  | "nil"
  | "range"
  | "template"
  | "with";

export interface Item {
  typ: ItemType;
  pos: number;
  val: string;
  line: number;
}

const KEYWORDS: Record<string, ItemType> = {
  ".": "dot",
  block: "block",
  break: "break",
  continue: "continue",
  define: "define",
  else: "else",
  end: "end",
  if: "if",
  range: "range",
  nil: "nil",
  template: "template",
  with: "with",
};

export const isKeyword = (t: ItemType) => Object.values(KEYWORDS).includes(t);

const LEFT = "{{";
const RIGHT = "}}";
const LEFT_COMMENT = "/*";
const RIGHT_COMMENT = "*/";

const isSpace = (c: string | undefined) => c === " " || c === "\t" || c === "\r" || c === "\n";
const isAlphaNumeric = (c: string | undefined) => c !== undefined && (c === "_" || /[\p{L}\p{Nd}]/u.test(c));
const hasLeftTrim = (s: string, at: number) => s[at] === "-" && isSpace(s[at + 1]);
const hasRightTrim = (s: string, at: number) => isSpace(s[at]) && s[at + 1] === "-";
const rightTrimLength = (s: string) => s.length - s.replace(/[ \t\r\n]+$/, "").length;
const leftTrimLength = (s: string, at: number) => {
  let i = at;
  while (isSpace(s[i])) i++;
  return i - at;
};

/** Lexes a whole template into items; an error is the last item, with its message as `val`. */
export function lex(input: string, options = { breakOK: true, continueOK: true }): Item[] {
  const items: Item[] = [];
  let pos = 0;
  let start = 0;
  let parenDepth = 0;
  const lineAt = lineCounter(input);

  const emit = (typ: ItemType, val = input.slice(start, pos)) => {
    items.push({ typ, pos: start, val, line: lineAt(start) });
    start = pos;
  };
  const ignore = () => {
    start = pos;
  };
  const next = (): string | undefined => {
    if (pos >= input.length) {
      pos++;
      return undefined;
    }
    const c = String.fromCodePoint(input.codePointAt(pos) as number);
    pos += c.length;
    return c;
  };
  const backup = (c: string | undefined) => {
    pos -= c === undefined ? 1 : c.length;
  };
  const peek = () => (pos < input.length ? String.fromCodePoint(input.codePointAt(pos) as number) : undefined);
  const accept = (valid: string) => {
    const c = next();
    if (c !== undefined && valid.includes(c)) return true;
    backup(c);
    return false;
  };
  const acceptRun = (valid: string) => {
    for (;;) {
      const c = next();
      if (c === undefined || !valid.includes(c)) {
        backup(c);
        return;
      }
    }
  };
  class Stop extends Error {}
  const error = (message: string): never => {
    items.push({ typ: "error", pos: start, val: message, line: lineAt(start) });
    throw new Stop();
  };
  const atRightDelim = (): { delim: boolean; trim: boolean } => {
    if (hasRightTrim(input, pos) && input.startsWith(RIGHT, pos + 2)) return { delim: true, trim: true };
    return { delim: input.startsWith(RIGHT, pos), trim: false };
  };
  const atTerminator = () => {
    const c = peek();
    if (c === undefined || isSpace(c)) return true;
    if (".,|:)(".includes(c)) return true;
    return input.startsWith(RIGHT, pos);
  };

  type State = (() => State) | undefined;

  const lexText = (): State => {
    const x = input.indexOf(LEFT, pos);
    if (x >= 0) {
      if (x > pos) {
        const trim = hasLeftTrim(input, x + LEFT.length) ? rightTrimLength(input.slice(start, x)) : 0;
        pos = x - trim;
        if (pos > start) emit("text");
        pos = x;
        ignore();
      }
      return lexLeftDelim;
    }
    pos = input.length;
    if (pos > start) emit("text");
    emit("eof", "");
    return undefined;
  };

  const lexLeftDelim = (): State => {
    pos += LEFT.length;
    const trim = hasLeftTrim(input, pos);
    const after = trim ? 2 : 0;
    if (input.startsWith(LEFT_COMMENT, pos + after)) {
      pos += after;
      ignore();
      return lexComment;
    }
    emit("leftDelim", LEFT);
    pos += after;
    ignore();
    parenDepth = 0;
    return lexInsideAction;
  };

  const lexComment = (): State => {
    pos += LEFT_COMMENT.length;
    const x = input.indexOf(RIGHT_COMMENT, pos);
    if (x < 0) error("unclosed comment");
    pos = x + RIGHT_COMMENT.length;
    const { delim, trim } = atRightDelim();
    if (!delim) error("comment ends before closing delimiter");
    if (trim) pos += 2;
    pos += RIGHT.length;
    if (trim) pos += leftTrimLength(input, pos);
    ignore();
    return lexText;
  };

  const lexRightDelim = (): State => {
    const { trim } = atRightDelim();
    if (trim) {
      pos += 2;
      ignore();
    }
    pos += RIGHT.length;
    emit("rightDelim", RIGHT);
    if (trim) {
      pos += leftTrimLength(input, pos);
      ignore();
    }
    return lexText;
  };

  const lexInsideAction = (): State => {
    const { delim } = atRightDelim();
    if (delim) {
      if (parenDepth === 0) return lexRightDelim;
      error("unclosed left paren");
    }
    const r = next();
    if (r === undefined) return error("unclosed action");
    if (isSpace(r)) {
      backup(r);
      return lexSpace;
    }
    if (r === "=") {
      emit("assign");
      return lexInsideAction;
    }
    if (r === ":") {
      if (next() !== "=") error("expected :=");
      emit("declare");
      return lexInsideAction;
    }
    if (r === "|") {
      emit("pipe");
      return lexInsideAction;
    }
    if (r === '"') return lexQuote;
    if (r === "`") return lexRawQuote;
    if (r === "$") return lexVariable;
    if (r === "'") return lexChar;
    if (r === ".") {
      const c = input[pos];
      if (pos < input.length && (c === undefined || c < "0" || c > "9")) return lexField;
      backup(r);
      return lexNumber;
    }
    if (r === "+" || r === "-" || (r >= "0" && r <= "9")) {
      backup(r);
      return lexNumber;
    }
    if (isAlphaNumeric(r)) {
      backup(r);
      return lexIdentifier;
    }
    if (r === "(") {
      parenDepth++;
      emit("leftParen");
      return lexInsideAction;
    }
    if (r === ")") {
      parenDepth--;
      if (parenDepth < 0) error("unexpected right paren");
      emit("rightParen");
      return lexInsideAction;
    }
    const code = r.codePointAt(0) as number;
    if (code <= 0x7f && code >= 0x20) {
      emit("char");
      return lexInsideAction;
    }
    return error(`unrecognized character in action: U+${code.toString(16).toUpperCase().padStart(4, "0")}`);
  };

  const lexSpace = (): State => {
    let n = 0;
    while (isSpace(peek())) {
      next();
      n++;
    }
    // A trim-marked closing delimiter has a minus after a space.
    if (hasRightTrim(input, pos - 1) && input.startsWith(RIGHT, pos + 1)) {
      backup(input[pos - 1]);
      if (n === 1) return lexInsideAction;
    }
    emit("space");
    return lexInsideAction;
  };

  const lexIdentifier = (): State => {
    for (;;) {
      const r = next();
      if (isAlphaNumeric(r)) continue;
      backup(r);
      const word = input.slice(start, pos);
      if (!atTerminator()) error(`bad character ${describe(r)}`);
      const key = KEYWORDS[word];
      if (key && key !== "dot") {
        if ((key === "break" && !options.breakOK) || (key === "continue" && !options.continueOK)) emit("identifier");
        else emit(key);
      } else if (word === "true" || word === "false") emit("bool");
      else emit("identifier");
      return lexInsideAction;
    }
  };

  const lexFieldOrVariable = (typ: "field" | "variable"): State => {
    if (atTerminator()) {
      emit(typ === "variable" ? "variable" : "dot");
      return lexInsideAction;
    }
    let r: string | undefined;
    for (;;) {
      r = next();
      if (!isAlphaNumeric(r)) {
        backup(r);
        break;
      }
    }
    if (!atTerminator()) error(`bad character ${describe(r)}`);
    emit(typ);
    return lexInsideAction;
  };
  const lexField = () => lexFieldOrVariable("field");
  const lexVariable = (): State => {
    if (atTerminator()) {
      emit("variable");
      return lexInsideAction;
    }
    return lexFieldOrVariable("variable");
  };

  const lexChar = (): State => {
    for (;;) {
      let r = next();
      if (r === "\\") {
        r = next();
        if (r !== undefined && r !== "\n") continue;
      }
      if (r === undefined || r === "\n") error("unterminated character constant");
      if (r === "'") break;
    }
    emit("charConstant");
    return lexInsideAction;
  };

  const scanNumber = (): boolean => {
    accept("+-");
    let digits = "0123456789_";
    if (accept("0")) {
      if (accept("xX")) digits = "0123456789abcdefABCDEF_";
      else if (accept("oO")) digits = "01234567_";
      else if (accept("bB")) digits = "01_";
    }
    acceptRun(digits);
    if (accept(".")) acceptRun(digits);
    if (digits.length === 11 && accept("eE")) {
      accept("+-");
      acceptRun("0123456789_");
    }
    if (digits.length === 23 && accept("pP")) {
      accept("+-");
      acceptRun("0123456789_");
    }
    accept("i");
    if (isAlphaNumeric(peek())) {
      next();
      return false;
    }
    return true;
  };

  const lexNumber = (): State => {
    if (!scanNumber()) error(`bad number syntax: ${JSON.stringify(input.slice(start, pos))}`);
    const sign = peek();
    if (sign === "+" || sign === "-") {
      if (!scanNumber() || input[pos - 1] !== "i")
        error(`bad number syntax: ${JSON.stringify(input.slice(start, pos))}`);
      error("complex numbers are not supported");
    }
    emit("number");
    return lexInsideAction;
  };

  const lexQuote = (): State => {
    for (;;) {
      let r = next();
      if (r === "\\") {
        r = next();
        if (r !== undefined && r !== "\n") continue;
      }
      if (r === undefined || r === "\n") error("unterminated quoted string");
      if (r === '"') break;
    }
    emit("string");
    return lexInsideAction;
  };

  const lexRawQuote = (): State => {
    for (;;) {
      const r = next();
      if (r === undefined) error("unterminated raw quoted string");
      if (r === "`") break;
    }
    emit("rawString");
    return lexInsideAction;
  };

  let state: State = lexText;
  try {
    while (state) state = state();
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
  }
  return items;
}

/** Maps an offset to its 1-based line with a binary search over the line starts. */
export function lineCounter(text: string): (pos: number) => number {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return (pos) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

function describe(r: string | undefined): string {
  if (r === undefined) return "U+FFFFFFFF";
  const code = r.codePointAt(0) as number;
  return `U+${code.toString(16).toUpperCase().padStart(4, "0")} '${r}'`;
}
