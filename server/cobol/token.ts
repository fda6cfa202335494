/**
 * Tokens: the unit every stage after the source reader works on.
 *
 * A token always keeps where it came from: `file` indexes the analysis'
 * source-file table (0 is the program itself, others are copybook
 * inclusions), and `line`/`col`/`endLine`/`endCol` are zero-based positions
 * in that file's text. Tokens produced by COPY REPLACING or REPLACE take the
 * span of the text they replaced and are flagged `Replaced`.
 */

export const enum TokenKind {
  Word = 1,
  Number = 2,
  /** Alphanumeric, national, hex or boolean literal; `text` is the source text including quotes and prefix. */
  String = 3,
  Period = 4,
  LParen = 5,
  RParen = 6,
  Colon = 7,
  /** Arithmetic or relational operator, `&`, `=`. */
  Operator = 8,
  /** `==`, the pseudo-text delimiter of COPY REPLACING and REPLACE. */
  PseudoText = 9,
  /** A PICTURE character string. */
  Picture = 10,
  /** A `>>` compiler directive or a CBL/PROCESS line; `text` is the whole directive. */
  Directive = 11,
  /** `EXEC lang … END-EXEC`, kept whole; see `exec`. */
  Exec = 12,
  /** A character that cannot start any token. */
  Unknown = 13,
}

/** Bit flags describing a token's place on its line. */
export const enum TokenFlags {
  None = 0,
  /** First token on its source line. */
  FirstOnLine = 1,
  /** Starts in Area A (columns 8-11) of a fixed-format line. */
  AreaA = 2,
  /** Comes from a fixed-format line (so Area A/B rules apply). */
  Fixed = 4,
  /** Produced by COPY REPLACING or REPLACE: its text is not what the source says at its position. */
  Replaced = 8,
}

export interface HostVariable {
  /** Name without the colon, as written. */
  name: string;
  line: number;
  col: number;
}

export interface ExecInfo {
  /** Upper-case language after EXEC: SQL, CICS, DLI, … */
  language: string;
  /** The text between the language word and END-EXEC, lines joined by `\n`. */
  body: string;
  hostVariables: HostVariable[];
}

export interface Token {
  kind: TokenKind;
  text: string;
  /** Upper-case text for words; the same as `text` for the other kinds. */
  upper: string;
  /** Index into the analysis' source files. */
  file: number;
  line: number;
  col: number;
  endLine: number;
  endCol: number;
  flags: TokenFlags;
  exec: ExecInfo | undefined;
}

/**
 * Makes a token. An object literal rather than a class instance: V8 then
 * allocates the (long-lived) tokens directly in the old generation instead
 * of copying each one through the young generation, which halves the
 * collector's work on large files.
 */
export function makeToken(kind: TokenKind, text: string, file: number, line: number, col: number, endLine: number, endCol: number): Token {
  return { kind, text, upper: text, file, line, col, endLine, endCol, flags: TokenFlags.None, exec: undefined };
}

/** A copy of `token` placed at the span from `at` to `until`, used by replacement. */
export function relocated(token: Token, at: Token, until: Token): Token {
  const copy = makeToken(token.kind, token.text, at.file, at.line, at.col, until.endLine, until.endCol);
  copy.upper = token.upper;
  copy.exec = token.exec;
  copy.flags = (at.flags & ~TokenFlags.Replaced) | TokenFlags.Replaced;
  return copy;
}
