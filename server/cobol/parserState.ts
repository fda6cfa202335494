/**
 * The cursor and reporting shared by the parser's parts (program structure,
 * data descriptions, statements). Reading past the end yields undefined,
 * never an exception.
 */
import type { FileDiagnostic } from './preprocessor';
import { reservedWords } from './reservedWords';
import type { NameReference, ProgramNode } from './syntaxTree';
import { type Token, TokenFlags, TokenKind } from './token';

const noQualifiers: number[] = [];

export class ParserState {
  i = 0;
  readonly n: number;
  readonly diagnostics: FileDiagnostic[] = [];
  /** Names declared in the current program's DATA DIVISION so far (a declared word is a name even if it is a keyword elsewhere). */
  declared = new Set<string>();
  program!: ProgramNode;

  constructor(readonly tokens: readonly Token[]) {
    this.n = tokens.length;
  }

  get atEnd(): boolean {
    return this.i >= this.n;
  }

  peek(offset = 0): Token | undefined {
    return this.tokens[this.i + offset];
  }

  /** True when the token at `offset` is the word `upper`. */
  isWord(offset: number, upper: string): boolean {
    const token = this.tokens[this.i + offset];
    return token !== undefined && token.kind === TokenKind.Word && token.upper === upper;
  }

  isPeriod(offset = 0): boolean {
    return this.tokens[this.i + offset]?.kind === TokenKind.Period;
  }

  /** Consumes the word `upper` if it is next. */
  accept(upper: string): boolean {
    if (!this.isWord(0, upper)) return false;
    this.i++;
    return true;
  }

  /** Consumes a period, or reports its absence at the previous token. */
  expectPeriod(what: string): void {
    if (this.isPeriod()) {
      this.i++;
      return;
    }
    this.error(Math.max(0, this.i - 1), 'syntax/expected-period', `Expected a period after ${what}.`);
  }

  /** Skips to just after the next period (or to a token `stop` accepts), returning the skipped count. */
  skipToPeriod(stop?: (index: number) => boolean): number {
    const from = this.i;
    while (this.i < this.n) {
      if (this.tokens[this.i].kind === TokenKind.Period) {
        this.i++;
        break;
      }
      if (stop && this.i > from && stop(this.i)) break;
      this.i++;
    }
    return this.i - from;
  }

  /** A user-defined word: not a keyword, unless the program declares it. */
  isUserWord(token: Token | undefined): boolean {
    if (!token) return false;
    if (token.kind === TokenKind.Number) return false;
    if (token.kind !== TokenKind.Word) return false;
    return !reservedWords.has(token.upper) || this.declared.has(token.upper);
  }

  /** Reads `name [OF|IN name]…` at the cursor into a reference and consumes it. */
  readReference(procedure: boolean, soft = false): NameReference {
    const reference: NameReference = { token: this.i, qualifiers: noQualifiers, procedure, soft };
    this.i++;
    while ((this.isWord(0, 'OF') || this.isWord(0, 'IN')) && this.isUserWord(this.peek(1))) {
      // Most references are unqualified: they share one empty list.
      if (reference.qualifiers === noQualifiers) reference.qualifiers = [];
      reference.qualifiers.push(this.i + 1);
      this.i += 2;
    }
    return reference;
  }

  startsLine(index: number): boolean {
    const token = this.tokens[index];
    return token !== undefined && (token.flags & TokenFlags.FirstOnLine) !== 0;
  }

  error(index: number, code: string, message: string, severity: FileDiagnostic['severity'] = 'error'): void {
    const token = this.tokens[Math.min(index, this.n - 1)];
    if (!token) return;
    this.diagnostics.push({
      file: token.file,
      range: { start: { line: token.line, character: token.col }, end: { line: token.endLine, character: token.endCol } },
      severity,
      code,
      message,
    });
  }

  describe(index: number): string {
    const token = this.tokens[index];
    if (!token) return 'the end of the text';
    const text = token.text.length > 40 ? `${token.text.slice(0, 40)}…` : token.text;
    return `'${text}'`;
  }
}
