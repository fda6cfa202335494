/**
 * The source reader and lexer: turns one file's text into tokens, applying the
 * reference format as it goes.
 *
 * Fixed format: columns 1-6 (sequence) and 73-80 are never read; column 7 is
 * the indicator (`*` `/` comment, `D`/`d` debugging line, read as a comment,
 * `-` continuation); code is columns 8-72. Free format: the whole line.
 * Both: `*>` starts a comment, `>>` lines become Directive tokens (and
 * `>>SOURCE FORMAT` switches the format from the next line on), CBL/PROCESS
 * lines before the first code become Directive tokens, comment entries of the
 * IDENTIFICATION DIVISION (AUTHOR. …) are skipped, PICTURE strings become
 * Picture tokens and `EXEC … END-EXEC` becomes one Exec token with its host
 * variables.
 *
 * Scanning is index-based over each line (no regular expressions on code, no
 * per-character allocation), so time is linear in the text's size.
 */
import { codePointName, type Diagnostic, escapeInvisible } from './diagnostic';
import { type SourceFormat, detectSourceFormat, splitLines } from './sourceFormat';
import type { LineCache } from './lineCache';
import { type ExecInfo, makeToken, type Token, TokenFlags, TokenKind } from './token';

export interface LexResult {
  tokens: Token[];
  /** The file's lines (split once, reused by the layout checks). */
  lines: string[];
  /** The format the file started in (after auto-detection). */
  format: SourceFormat;
  /** Positions are in this file; the caller knows which file it is. */
  diagnostics: Diagnostic[];
  /** Diagnostics past `maxDiagnostics`, counted, not made. */
  droppedDiagnostics: number;
  lineCount: number;
}

const SPACE = 32;
const TAB = 9;
const QUOTE = 34;
const APOSTROPHE = 39;

/** 1 for characters that may appear in a COBOL word. */
const wordChars = new Uint8Array(128);
for (let c = 48; c <= 57; c++) wordChars[c] = 1;
for (let c = 65; c <= 90; c++) wordChars[c] = 1;
for (let c = 97; c <= 122; c++) wordChars[c] = 1;
wordChars[45] = 1; // -
wordChars[95] = 1; // _

const isWordChar = (c: number) => (c < 128 ? wordChars[c] === 1 : c !== 0xa0);

/** 1 for ASCII characters that start some token or separate tokens; the others are unexpected. */
const expectedChars = wordChars.slice();
for (const c of ' \t,;"\'.():=*><+-/&') expectedChars[c.charCodeAt(0)] = 1;
const isUnexpected = (c: number) => (c < 128 ? expectedChars[c] === 0 : c === 0xa0);
const isDigit = (c: number) => c >= 48 && c <= 57;
const isBlank = (c: number) => c === SPACE || c === TAB;
const isLetter = (c: number) => (c | 32) >= 97 && (c | 32) <= 122;

/** Literal prefixes: X"..", N"..", Z"..", G"..", B"..", NX"..", BX"..", U"..". */
// H'0F' is GnuCOBOL's hexadecimal numeric literal.
const literalPrefixes = new Set(['X', 'N', 'NX', 'Z', 'G', 'B', 'BX', 'U', 'NC', 'H']);

/** IDENTIFICATION DIVISION paragraphs whose entry is free text. */
const commentEntryParagraphs = new Set(['AUTHOR', 'INSTALLATION', 'DATE-WRITTEN', 'DATE-COMPILED', 'SECURITY', 'REMARKS']);

/** Words that end a comment entry when they start a line. */
const commentEntryEnders = new Set([
  ...commentEntryParagraphs,
  'PROGRAM-ID', 'ENVIRONMENT', 'DATA', 'PROCEDURE', 'IDENTIFICATION', 'ID', 'END', 'CLASS-ID', 'FUNCTION-ID', 'COPY',
]);

const sourceDirective = /^>>\s*SOURCE(?:\s+FORMAT)?(?:\s+IS)?\s+(FREE|FIXED)\b/i;

const enum Mode {
  Normal,
  CommentEntry,
  Exec,
}

/** Reads one file. `auto` detects the format from the text (see `detectSourceFormat`). */
/** `maxDiagnostics`: past this many, diagnostics are only counted (a copybook of garbage among a thousand). */
export function lex(text: string, file: number, format: SourceFormat | 'auto', cache?: { lines: LineCache; reading: number }, maxDiagnostics = Infinity): LexResult {
  const lines = splitLines(text);
  const actual = format === 'auto' ? detectSourceFormat(lines) : format;
  cache?.lines.begin(cache.reading, lines);
  const lexer = new Lexer(lines, file, actual, cache?.lines, maxDiagnostics);
  lexer.run();
  return { tokens: lexer.tokens, lines, format: actual, diagnostics: lexer.diagnostics, droppedDiagnostics: lexer.droppedDiagnostics, lineCount: lines.length };
}

class Lexer {
  readonly tokens: Token[] = [];
  readonly diagnostics: Diagnostic[] = [];
  droppedDiagnostics = 0;
  /** Per reading only: a table shared across files would keep their texts alive (V8 substrings point into them). */
  private readonly strings = new Map<string, string>();
  private mode = Mode.Normal;
  private fixed: boolean;
  private expectPicture = false;
  private seenCode = false;
  /** A literal still open at the end of its line, waiting for a continuation line. */
  private openLiteral: { token: Token; quote: number } | undefined;
  /** An EXEC word waiting for its language word. */
  private execPending: { line: number; col: number; flags: TokenFlags } | undefined;
  private exec: { token: Token; info: ExecInfo; parts: string[] } | undefined;

  constructor(
    readonly lines: string[],
    private readonly file: number,
    format: SourceFormat,
    private readonly cache?: LineCache,
    private readonly maxDiagnostics = Infinity,
  ) {
    this.fixed = format === 'fixed';
  }

  run(): void {
    const cache = this.cache;
    for (let i = 0; i < this.lines.length; i++) {
      if (!cache || !this.neutral()) {
        this.lexLine(i);
        continue;
      }
      const cached = cache.take(i, this.fixed);
      if (cached) {
        for (const token of cached) {
          token.line = i;
          token.endLine = i;
          token.file = this.file;
          this.tokens.push(token);
        }
        continue;
      }
      const before = this.tokens.length;
      const diagnostics = this.diagnostics.length + this.droppedDiagnostics;
      const fixed = this.fixed;
      this.lexLine(i);
      if (this.tokens.length > before && this.neutral() && this.fixed === fixed && this.diagnostics.length + this.droppedDiagnostics === diagnostics && this.cacheable(before)) {
        cache.put(i, fixed, this.tokens.slice(before));
      }
    }
    cache?.end(this.lines);
    if (this.openLiteral) this.unterminated();
    if (this.exec) {
      const { token } = this.exec;
      this.finishExec(this.lines.length - 1, this.lines[this.lines.length - 1].length, '');
      this.error(token.line, token.col, token.col + 4, 'syntax/exec-unterminated', `EXEC ${token.exec?.language ?? ''} has no END-EXEC.`);
    }
  }

  /** No state carries from one line to the next, so a line reads the same wherever it is. */
  private neutral(): boolean {
    return this.mode === Mode.Normal && this.seenCode && !this.openLiteral && !this.execPending && !this.exec && !this.expectPicture;
  }

  /** Single-line tokens only, none of them directives or EXEC blocks, and not a continuation. */
  private cacheable(from: number): boolean {
    const line = this.tokens[from].line;
    if (this.fixed && this.lines[line].charCodeAt(6) === 45) return false;
    for (let k = from; k < this.tokens.length; k++) {
      const token = this.tokens[k];
      if (token.endLine !== line || token.kind === TokenKind.Directive || token.kind === TokenKind.Exec) return false;
    }
    return true;
  }

  private lexLine(lineNumber: number): void {
    const line = this.lines[lineNumber];
    let start = 0;
    let end = line.length;
    let continuation = false;
    if (this.fixed) {
      if (line.length <= 6) return;
      const indicator = line.charCodeAt(6);
      if (indicator === 42 /* * */ || indicator === 47 /* / */ || indicator === 68 /* D */ || indicator === 100 /* d */) return;
      if (indicator === 36 /* $ */) {
        this.directive(lineNumber, line, 6, Math.min(end, 72));
        return;
      }
      start = indicator === 62 /* > */ && line.charCodeAt(7) === 62 ? 6 : 7;
      end = Math.min(end, 72);
      continuation = indicator === 45; /* - */
    }
    let p = start;
    while (p < end && isBlank(line.charCodeAt(p))) p++;
    if (p >= end) return;

    if (this.mode === Mode.CommentEntry) {
      if (!this.endsCommentEntry(line, start, p)) return;
      this.mode = Mode.Normal;
    }
    if (this.openLiteral && !continuation) this.unterminated();
    if (this.mode === Mode.Exec) {
      p = this.scanExec(lineNumber, line, start, end);
      if (p >= end) return;
    } else if (continuation) {
      p = this.continueLine(lineNumber, line, p, end);
    } else if (!this.fixed && line.charCodeAt(p) === 36 /* $ */ && isLetter(line.charCodeAt(p + 1))) {
      // A Micro Focus style `$SET …` directive line (cobc ignores those it does not know).
      this.directive(lineNumber, line, p, end);
      return;
    } else if (line.charCodeAt(p) === 62 && line.charCodeAt(p + 1) === 62) {
      this.directive(lineNumber, line, p, end);
      return;
    } else if (!this.seenCode && this.processLineStart(line, p) >= 0) {
      this.directive(lineNumber, line, this.processLineStart(line, p), this.fixed ? Math.min(line.length, 72) : line.length);
      return;
    }
    this.tokenize(lineNumber, line, p, end);
  }

  private tokenize(lineNumber: number, line: string, from: number, end: number): void {
    let p = from;
    let first = this.tokens.length === 0 || this.tokens[this.tokens.length - 1].endLine !== lineNumber;
    while (p < end) {
      const c = line.charCodeAt(p);
      if (c === SPACE || c === TAB || ((c === 44 || c === 59) && !this.expectPicture)) {
        p++;
        continue;
      }
      if (c === 42 && line.charCodeAt(p + 1) === 62) break; // *> comment
      let flags = first ? TokenFlags.FirstOnLine : TokenFlags.None;
      if (this.fixed) flags |= p >= 7 && p <= 10 ? TokenFlags.Fixed | TokenFlags.AreaA : TokenFlags.Fixed;
      first = false;
      const before = this.tokens.length;
      if (this.expectPicture && !this.isWordIs(line, p, end)) {
        p = this.scanPicture(lineNumber, line, p, end, flags);
      } else if (c === QUOTE || c === APOSTROPHE) {
        p = this.scanLiteral(lineNumber, line, p, p, end, flags);
      } else if ((isWordChar(c) && c !== 45) || (c === 58 && tagEnd(line, p, end) > 0)) {
        p = this.scanWord(lineNumber, line, p, end, flags);
        if (this.mode === Mode.Exec) {
          p = this.scanExec(lineNumber, line, p, end);
          continue;
        }
        if (this.mode === Mode.CommentEntry) return;
      } else if (c === 46 /* . */) {
        // Past column 72 lies the sequence area, not the decimal digits of `.5`.
        if (p + 1 < end && isDigit(line.charCodeAt(p + 1))) {
          let q = p + 1;
          while (q < end && isDigit(line.charCodeAt(q))) q++;
          this.push(TokenKind.Number, line.slice(p, q), lineNumber, p, q, flags);
          p = q;
        } else {
          this.push(TokenKind.Period, '.', lineNumber, p, p + 1, flags);
          p++;
          if (this.startsCommentEntry()) {
            this.mode = Mode.CommentEntry;
            return;
          }
        }
      } else {
        p = this.scanSymbol(lineNumber, line, p, end, flags);
      }
      if (this.tokens.length > before) this.afterToken();
    }
  }

  /** Keeps the PICTURE state machine: a picture string follows PIC/PICTURE [IS]. */
  private afterToken(): void {
    const token = this.tokens[this.tokens.length - 1];
    this.seenCode = true;
    if (token.kind !== TokenKind.Word) {
      this.expectPicture = false;
      return;
    }
    const upper = token.upper;
    this.expectPicture = upper === 'PIC' || upper === 'PICTURE' || (upper === 'IS' && this.expectPicture);
  }

  private isWordIs(line: string, p: number, end: number): boolean {
    return (
      p + 1 < end &&
      (line.charCodeAt(p) | 32) === 105 &&
      (line.charCodeAt(p + 1) | 32) === 115 &&
      (p + 2 >= end || isBlank(line.charCodeAt(p + 2)))
    );
  }

  private scanWord(lineNumber: number, line: string, p: number, end: number, flags: TokenFlags): number {
    let q = p;
    let digitsOnly = true;
    let lower = false;
    while (q < end) {
      const c = line.charCodeAt(q);
      if (isWordChar(c)) {
        if (c > 57) {
          digitsOnly = false;
          if (c >= 97) lower = true;
        }
        q++;
      } else if (c === 58) {
        const tag = tagEnd(line, q, end);
        if (tag < 0) break;
        digitsOnly = false;
        lower = true; // not checked character by character: upper-case it to be sure
        q = tag;
      } else break;
    }
    const next = line.charCodeAt(q);
    if (digitsOnly) {
      // A decimal point followed by a digit belongs to the number.
      if ((next === 46 || next === 44) && isDigit(line.charCodeAt(q + 1)) && q + 1 < end) {
        q += 2;
        while (q < end && isDigit(line.charCodeAt(q))) q++;
        q = exponentEnd(line, q, end);
      }
      this.push(TokenKind.Number, line.slice(p, q), lineNumber, p, q, flags);
      return q;
    }
    if ((next === QUOTE || next === APOSTROPHE) && q - p <= 2 && literalPrefixes.has(line.slice(p, q).toUpperCase())) {
      return this.scanLiteral(lineNumber, line, p, q, end, flags);
    }
    const text = this.intern(line.slice(p, q));
    if (this.execPending) {
      const { line: execLine, col, flags: execFlags } = this.execPending;
      this.execPending = undefined;
      const token = makeToken(TokenKind.Exec, 'EXEC', this.file, execLine, col, lineNumber, q);
      token.flags = execFlags;
      const info: ExecInfo = { language: text.toUpperCase(), body: '', hostVariables: [] };
      token.exec = info;
      this.tokens.push(token);
      this.seenCode = true;
      this.exec = { token, info, parts: [] };
      this.mode = Mode.Exec;
      return q;
    }
    if (q - p === 4 && text.toUpperCase() === 'EXEC') {
      this.execPending = { line: lineNumber, col: p, flags };
      return q;
    }
    const token = this.push(TokenKind.Word, text, lineNumber, p, q, flags);
    if (lower) token.upper = this.intern(text.toUpperCase());
    return q;
  }

  /**
   * Returns one shared copy of each distinct word: tokens outlive the scan,
   * and sharing their strings keeps the garbage collector from copying
   * thousands of equal ones.
   */
  private intern(text: string): string {
    const known = this.strings.get(text);
    if (known !== undefined) return known;
    this.strings.set(text, text);
    return text;
  }

  /** Scans a literal whose token starts at `start` and whose opening quote is at `quoteAt`. */
  private scanLiteral(lineNumber: number, line: string, start: number, quoteAt: number, end: number, flags: TokenFlags): number {
    const quote = line.charCodeAt(quoteAt);
    const close = findClosingQuote(line, quoteAt + 1, end, quote);
    if (close >= 0) {
      this.push(TokenKind.String, line.slice(start, close + 1), lineNumber, start, close + 1, flags);
      return close + 1;
    }
    const token = this.push(TokenKind.String, padTo(line.slice(start, end), end - start, this.fixed ? 72 - start : 0), lineNumber, start, end, flags);
    if (this.fixed) this.openLiteral = { token, quote };
    else this.error(lineNumber, start, end, 'syntax/unterminated-literal', 'This literal has no closing quote.');
    return end;
  }

  /** A continuation line (`-` in column 7): resumes an open literal or joins a split word. */
  private continueLine(lineNumber: number, line: string, p: number, end: number): number {
    let open = this.openLiteral;
    const c = line.charCodeAt(p);
    let from = p + 1;
    const previous = this.tokens[this.tokens.length - 1];
    if (!open && previous?.kind === TokenKind.String && previous.endCol === 72 && previous.endLine === lineNumber - 1 && (c === QUOTE || c === APOSTROPHE) && line.charCodeAt(p + 1) === c && previous.text.charCodeAt(previous.text.length - 1) === c) {
      // The quote in column 72 did not close the literal: it was the first of a doubled quote, whose second
      // follows this line's continuation quote (`…J"` / `-    ""9K…"`).
      open = { token: previous, quote: c };
      from = p + 2;
    }
    if (open) {
      this.openLiteral = undefined;
      if (c !== QUOTE && c !== APOSTROPHE) {
        this.error(lineNumber, p, p + 1, 'syntax/continuation', 'A continuation line of a literal must start with a quote.');
        return p;
      }
      const { token, quote } = open;
      const close = findClosingQuote(line, from, end, quote);
      const stop = close >= 0 ? close + 1 : end;
      token.text += close >= 0 ? line.slice(p + 1, stop) : padTo(line.slice(p + 1, end), end - p - 1, 72 - p - 1);
      token.upper = token.text;
      token.endLine = lineNumber;
      token.endCol = stop;
      if (close < 0) this.openLiteral = open;
      return stop;
    }
    const last = this.tokens[this.tokens.length - 1];
    if (last && last.kind === TokenKind.Picture && last.endLine < lineNumber && !isBlank(c) && c !== 46) {
      // A PICTURE string split over lines: `PIC S9(7)V9` / `-    9.`
      let q = p;
      while (q < end) {
        const d = line.charCodeAt(q);
        if (isBlank(d) || ((d === 46 || d === 44 || d === 59) && (q + 1 >= end || isBlank(line.charCodeAt(q + 1))))) break;
        q++;
      }
      last.text += line.slice(p, q);
      last.upper = last.text;
      last.endLine = lineNumber;
      last.endCol = q;
      return q;
    }
    if (last && (last.kind === TokenKind.Word || last.kind === TokenKind.Number) && isWordChar(c)) {
      let q = p;
      while (q < end && isWordChar(line.charCodeAt(q))) q++;
      last.text += line.slice(p, q);
      last.upper = last.kind === TokenKind.Word ? last.text.toUpperCase() : last.text;
      last.endLine = lineNumber;
      last.endCol = q;
      return q;
    }
    return p;
  }

  private unterminated(): void {
    const token = this.openLiteral?.token;
    this.openLiteral = undefined;
    if (!token) return;
    if (this.diagnostics.length >= this.maxDiagnostics) {
      this.droppedDiagnostics++;
      return;
    }
    // A literal continued over several lines: the range runs from its start to where its last part ends.
    this.diagnostics.push({
      range: { start: { line: token.line, character: token.col }, end: { line: token.endLine, character: token.endCol } },
      severity: 'error',
      code: 'syntax/unterminated-literal',
      message: 'This literal has no closing quote and the next line does not continue it.',
    });
  }

  private scanPicture(lineNumber: number, line: string, p: number, end: number, flags: TokenFlags): number {
    let q = p;
    while (q < end) {
      const c = line.charCodeAt(q);
      if (c === SPACE || c === TAB) break;
      if ((c === 46 || c === 44 || c === 59) && (q + 1 >= end || isBlank(line.charCodeAt(q + 1)))) break;
      if (c === 61 && line.charCodeAt(q + 1) === 61) break; // closing == of pseudo-text
      q++;
    }
    if (q === p) {
      // A lone separator where the picture string should be: let the parser report it.
      this.expectPicture = false;
      return p;
    }
    this.push(TokenKind.Picture, line.slice(p, q), lineNumber, p, q, flags);
    return q;
  }

  private scanSymbol(lineNumber: number, line: string, p: number, end: number, flags: TokenFlags): number {
    const c = line.charCodeAt(p);
    const next = p + 1 < end ? line.charCodeAt(p + 1) : 0;
    switch (c) {
      case 40:
        this.push(TokenKind.LParen, '(', lineNumber, p, p + 1, flags);
        return p + 1;
      case 41:
        this.push(TokenKind.RParen, ')', lineNumber, p, p + 1, flags);
        return p + 1;
      case 58:
        this.push(TokenKind.Colon, ':', lineNumber, p, p + 1, flags);
        return p + 1;
      case 61:
        if (next === 61) {
          this.push(TokenKind.PseudoText, '==', lineNumber, p, p + 2, flags);
          return p + 2;
        }
        this.push(TokenKind.Operator, '=', lineNumber, p, p + 1, flags);
        return p + 1;
      case 42: // * or **
        if (next === 42) {
          this.push(TokenKind.Operator, '**', lineNumber, p, p + 2, flags);
          return p + 2;
        }
        this.push(TokenKind.Operator, '*', lineNumber, p, p + 1, flags);
        return p + 1;
      case 62: // > >=
      case 60: // < <= <>
        if (next === 61 || (c === 60 && next === 62)) {
          this.push(TokenKind.Operator, line.slice(p, p + 2), lineNumber, p, p + 2, flags);
          return p + 2;
        }
        this.push(TokenKind.Operator, c === 62 ? '>' : '<', lineNumber, p, p + 1, flags);
        return p + 1;
      case 43:
      case 45:
      case 47:
      case 38:
        this.push(TokenKind.Operator, line[p], lineNumber, p, p + 1, flags);
        return p + 1;
      default: {
        // A run of unexpected characters (a binary file, a line of '@') is one token and one diagnostic.
        let q = p + 1;
        for (let r = q; r < end; r++) {
          const next = line.charCodeAt(r);
          if (isUnexpected(next)) q = r + 1;
          else if (!isBlank(next)) break; // blanks between unexpected characters belong to the run
        }
        const run = line.slice(p, q);
        this.push(TokenKind.Unknown, run, lineNumber, p, q, flags);
        if (this.diagnostics.length < this.maxDiagnostics) this.error(lineNumber, p, q, 'syntax/unexpected-character', unexpectedMessage(run));
        else this.droppedDiagnostics++;
        return q;
      }
    }
  }

  /**
   * Scans EXEC text from `from` for host variables and END-EXEC. Returns where
   * normal scanning resumes (after END-EXEC), or `end` when the block goes on.
   */
  private scanExec(lineNumber: number, line: string, from: number, end: number): number {
    const exec = this.exec;
    if (!exec) return from;
    const isSql = exec.info.language === 'SQL';
    let q = from;
    while (q < end) {
      const c = line.charCodeAt(q);
      if (c === QUOTE || c === APOSTROPHE) {
        const close = findClosingQuote(line, q + 1, end, c);
        q = close < 0 ? end : close + 1;
      } else if (isSql && c === 45 && line.charCodeAt(q + 1) === 45) {
        exec.parts.push(line.slice(from, q));
        return end;
      } else if (c === 58 && q + 1 < end && isWordChar(line.charCodeAt(q + 1)) && line.charCodeAt(q + 1) !== 45) {
        let r = q + 1;
        while (r < end && isWordChar(line.charCodeAt(r))) r++;
        exec.info.hostVariables.push({ name: line.slice(q + 1, r), line: lineNumber, col: q + 1 });
        q = r;
      } else if ((c | 32) === 101 && isEndExec(line, q, end)) {
        this.finishExec(lineNumber, q + 8, line.slice(from, q));
        return q + 8;
      } else q++;
    }
    exec.parts.push(line.slice(from, end));
    return end;
  }

  private finishExec(lineNumber: number, endCol: number, lastPart: string): void {
    const exec = this.exec;
    if (!exec) return;
    exec.parts.push(lastPart);
    exec.info.body = exec.parts.join('\n').trim();
    exec.token.endLine = lineNumber;
    exec.token.endCol = endCol;
    this.exec = undefined;
    this.mode = Mode.Normal;
  }

  private directive(lineNumber: number, line: string, p: number, end: number): void {
    let stop = end;
    const comment = line.indexOf('*>', p + 2);
    if (comment >= 0 && comment < stop) stop = comment;
    const text = line.slice(p, stop).trimEnd();
    this.push(TokenKind.Directive, text, lineNumber, p, p + text.length, TokenFlags.FirstOnLine);
    const match = sourceDirective.exec(text);
    if (match) this.fixed = match[1].toUpperCase() === 'FIXED';
  }

  /**
   * Where a CBL or PROCESS compiler-options card starts, or -1: in column 1,
   * or in Area A after a sequence number (`000100 PROCESS DYNAM …`); `code`
   * is where the line's code begins.
   */
  private processLineStart(line: string, code: number): number {
    let q = 0;
    while (q < line.length && isBlank(line.charCodeAt(q))) q++;
    const isCard = (at: number) => {
      const word = (n: number) => line.slice(at, at + n).toUpperCase();
      const after = (n: number) => at + n >= line.length || isBlank(line.charCodeAt(at + n));
      return (word(3) === 'CBL' && after(3)) || (word(7) === 'PROCESS' && after(7));
    };
    if (isCard(q)) return q;
    return this.fixed && isCard(code) ? code : -1;
  }

  /** True after `AUTHOR.` (and the other comment-entry paragraphs) at the start of a line. */
  private startsCommentEntry(): boolean {
    const n = this.tokens.length;
    if (n < 2) return false;
    const word = this.tokens[n - 2];
    return word.kind === TokenKind.Word && (word.flags & TokenFlags.FirstOnLine) !== 0 && commentEntryParagraphs.has(word.upper);
  }

  /**
   * A comment entry ends at the next line with code in Area A (fixed format)
   * or, in free format, at a line starting with a paragraph name and its
   * period, a division header, END PROGRAM or COPY.
   */
  private endsCommentEntry(line: string, start: number, firstNonBlank: number): boolean {
    if (line.startsWith('>>', firstNonBlank)) return true;
    if (this.fixed) return firstNonBlank <= start + 3;
    let q = firstNonBlank;
    while (q < line.length && isWordChar(line.charCodeAt(q))) q++;
    const word = line.slice(firstNonBlank, q).toUpperCase();
    if (!commentEntryEnders.has(word)) return false;
    while (q < line.length && isBlank(line.charCodeAt(q))) q++;
    const rest = line.slice(q, q + 8).toUpperCase();
    if (word === 'COPY') return true;
    if (word === 'END') return rest.startsWith('PROGRAM');
    return rest.startsWith('.') || rest.startsWith('DIVISION');
  }

  private push(kind: TokenKind, text: string, lineNumber: number, col: number, endCol: number, flags: TokenFlags): Token {
    const token = makeToken(kind, text, this.file, lineNumber, col, lineNumber, endCol);
    token.flags = flags;
    this.tokens.push(token);
    return token;
  }

  private error(lineNumber: number, start: number, end: number, code: string, message: string): void {
    if (this.diagnostics.length >= this.maxDiagnostics) {
      this.droppedDiagnostics++;
      return;
    }
    this.diagnostics.push({
      range: { start: { line: lineNumber, character: start }, end: { line: lineNumber, character: Math.max(end, start + 1) } },
      severity: 'error',
      code,
      message,
    });
  }
}

/** Names unexpected characters readably: control characters as U+XXXX, a long run shortened. */
function unexpectedMessage(run: string): string {
  const quoted = (character: string) => {
    const code = character.charCodeAt(0);
    const visible = code > 0x20 && code < 0x7f ? true : escapeInvisible(character) === character;
    return visible ? `'${character}'` : codePointName(character);
  };
  if (run.length === 1) return `Unexpected character ${quoted(run)}.`;
  let count = 0;
  let same = true;
  for (let i = 0; i < run.length; i++) {
    const code = run.charCodeAt(i);
    if (code === SPACE || code === TAB) continue;
    count++;
    if (code !== run.charCodeAt(0)) same = false;
  }
  const times = count.toLocaleString('en-US');
  if (same) return `Unexpected character ${quoted(run[0])}, ${times} times${count === run.length ? ' in a row' : ''}.`;
  const shown = escapeInvisible(run.slice(0, 16));
  return `Unexpected characters '${shown}${run.length > 16 ? '…' : ''}' (${times}).`;
}

/** Index of the closing quote (a doubled quote is an escaped one), or -1. */
/** After a decimal number: the end of a floating-point exponent (`1.5E+38`, `2.0e-4`), or `q` when none. */
function exponentEnd(line: string, q: number, end: number): number {
  if ((line.charCodeAt(q) | 32) !== 101 /* e */) return q;
  let k = q + 1;
  if (line.charCodeAt(k) === 43 || line.charCodeAt(k) === 45) k++;
  if (k >= end || !isDigit(line.charCodeAt(k))) return q;
  while (k < end && isDigit(line.charCodeAt(k))) k++;
  return k < end && isWordChar(line.charCodeAt(k)) ? q : k;
}

function findClosingQuote(line: string, from: number, end: number, quote: number): number {
  let j = from;
  while (j < end) {
    const k = line.indexOf(quote === QUOTE ? '"' : "'", j);
    if (k < 0 || k >= end) return -1;
    if (k + 1 < end && line.charCodeAt(k + 1) === quote) {
      j = k + 2;
      continue;
    }
    return k;
  }
  return -1;
}

/** For a `:TAG:` partial-word placeholder at `p`, the index after it; else -1. */
function tagEnd(line: string, p: number, end: number): number {
  let q = p + 1;
  while (q < end && isWordChar(line.charCodeAt(q))) q++;
  return q > p + 1 && q < end && line.charCodeAt(q) === 58 ? q + 1 : -1;
}

function isEndExec(line: string, q: number, end: number): boolean {
  if (q + 8 > end || (q > 0 && isWordChar(line.charCodeAt(q - 1)))) return false;
  if (q + 8 < end && isWordChar(line.charCodeAt(q + 8))) return false;
  return line.slice(q, q + 8).toUpperCase() === 'END-EXEC';
}

/** Pads a fixed-format literal's first part to column 72, where its content really ends. */
function padTo(text: string, length: number, target: number): string {
  return target > length ? text + ' '.repeat(target - length) : text;
}
